{#- Helpers shared by the incremental models that follow int_mentions' `_dlt_load_id` (the newest
    raw load the build that wrote a row had seen; see int_mentions.sql). -#}

{#- Whether the built table `relation` has every one of `columns` (an older build may lack one:
    the model then rebuilds whole). -#}
{% macro built_has_columns(relation, columns) -%}
    {%- set built = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- for column in columns -%}
        {%- if column | lower not in built -%}
            {{ return(false) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(true) }}
{%- endmacro %}

{#- The newest load id `relation` holds, as a scalar subquery ('' when it holds none). -#}
{% macro load_watermark(relation) -%}
    (select coalesce(max(_dlt_load_id), '') from {{ relation }})
{%- endmacro %}

{#- The privacy pseudonyms table, when the build wrote one (none while parsing). -#}
{% macro pseudonyms_relation() -%}
    {%- set pseudonyms = source('privacy', 'author_pseudonyms') -%}
    {%- if execute and load_relation(pseudonyms) is not none -%}
        {{ return(pseudonyms) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- The mention_ids of `relation` whose author_id no pseudonym gives any more: the pseudonyms
    changed (key, public accounts), and int_mentions rewrote them without a newer raw load. -#}
{% macro mentions_of_stale_authors(relation, pseudonyms) -%}
    select built.mention_id
    from {{ relation }} as built
    left join (
        select distinct
            {{ dbt.concat([dbt.split_part('author_key', "':'", 1), "':'", fold_case('pseudonym')]) }}
                as author_id
        from {{ pseudonyms }}
    ) as current_authors on built.author_id = current_authors.author_id
    where built.author_id is not null and current_authors.author_id is null
{%- endmacro %}

{#- A post-hook for a mart incremental on a day key (delete+insert on `day_column`): a day that
    lost its last canonical row in `brand_mentions` (a relation with `published_date` and
    `is_canonical`) has no row in the run's batch to replace it, so it is deleted here. -#}
{% macro drop_days_without_rows(day_column, brand_mentions) -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where {{ day_column }} not in (
        select published_date
        from {{ brand_mentions }}
        where is_canonical and published_date is not null
    )
    {%- endif -%}
{%- endmacro %}
