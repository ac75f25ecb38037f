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

{#- Data tests on an incremental model read only the rows its run wrote, when the model names in
    `meta.test_newest_rows` a column all of a run's rows share and later runs raise (a load id, a
    refresh time): rows written before passed the tests of their own run, with the same code (a
    change of code, vars or config rebuilds with --full-refresh, which tests every row). A
    delete+insert on a unique key leaves no duplicate between old and new rows, so `unique`
    stays sound on the run's rows. Any `where` a test sets still applies. -#}
{% macro get_where_subquery(relation) -%}
    {%- set clauses = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do clauses.append(where) -%}
    {%- endif -%}
    {%- set newest = tested_newest_rows_column() -%}
    {%- if newest -%}
        {%- do clauses.append(newest ~ ' = (select max(' ~ newest ~ ') from ' ~ relation ~ ')') -%}
    {%- endif -%}
    {%- if clauses -%}
        {%- set filtered -%}
            (select * from {{ relation }} where ({{ clauses | join(') and (') }})) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}

{#- The column the tested model names in `meta.test_newest_rows`, unless this is a full refresh
    or the model is not incremental (none). -#}
{% macro tested_newest_rows_column() -%}
    {%- if not execute or flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set tested_id = model.get('attached_node') if model is mapping else model.attached_node -%}
    {%- set tested = graph.nodes.get(tested_id) if tested_id else none -%}
    {%- if tested is none or tested.config.materialized != 'incremental' -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return((tested.config.meta or {}).get('test_newest_rows')) }}
{%- endmacro %}

{#- A post-hook for a model incremental on a month key (`period_start`, delete+insert): a month
    left without any post of the community (int_author_posts but brands' official accounts) has
    no row in the run's batch to replace it, so it is deleted here. -#}
{% macro drop_periods_without_posts() -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where period_start not in (
        select distinct cast({{ dbt.date_trunc('month', 'author_posts.published_date') }} as date)
        from {{ ref('int_author_posts') }} as author_posts
        left join (
            select distinct handle from {{ ref('stg_enrichment__official_accounts') }}
        ) as official_accounts
            on {{ fold_case('author_posts.author_name') }} = official_accounts.handle
        where author_posts.published_date is not null
          and official_accounts.handle is null
    )
    {%- endif -%}
{%- endmacro %}

{#- The post-hook of mart_contributor_typology: a row whose author no longer has a brand mention
    of that brand in that month (re-dated, re-enriched without the brand) is deleted. -#}
{% macro drop_typology_rows_without_mentions() -%}
    {%- if is_incremental() -%}
    delete from {{ this }} as built
    where not exists (
        select 1
        from {{ ref('fct_brand_mentions') }} as brand_mentions
        where brand_mentions.brand = built.brand
          and brand_mentions.author_id = built.author_id
          and cast({{ dbt.date_trunc('month', 'brand_mentions.published_date') }} as date)
            = built.period_start
    )
    {%- endif -%}
{%- endmacro %}

{#- A post-hook for a model incremental on `period_start` whose months are those of `relation`
    (a month gone there is deleted here). -#}
{% macro drop_periods_not_in(relation) -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where period_start not in (select period_start from {{ relation }})
    {%- endif -%}
{%- endmacro %}

{#- The post-hook of int_brand_keywords_weekly: a brand-week left without a unique brand mention
    has no row in the run's batch to replace it, so it is deleted here. -#}
{% macro drop_brand_weeks_without_mentions() -%}
    {%- if is_incremental() -%}
    delete from {{ this }} as built
    where not exists (
        select 1
        from {{ ref('fct_brand_mentions') }} as brand_mentions
        where brand_mentions.is_canonical
          and brand_mentions.brand = built.brand
          and {{ week_start('brand_mentions.published_date') }} = built.period_start
    )
    {%- endif -%}
{%- endmacro %}
