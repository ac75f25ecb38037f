{#- Helpers of the tables incremental on the keys their inputs touched, whose own newest
    `refreshed_at` is their watermark (dim_authors, int_author_brand_stance, fct_brand_requests):
    their inputs are built before them in the same run, so an input row written after that
    watermark is one the mart has not seen. -#}

{#- This table's newest `column` (its own refreshed_at by default, or the watermark it keeps of an
    input), as a scalar subquery: the oldest time when it holds no row, so a table built empty
    (a young warehouse) still reads its inputs at the next build. -#}
{% macro own_watermark(column='refreshed_at') -%}
    (select coalesce(max({{ column }}), cast('1900-01-01 00:00:00+00' as {{ type_timestamptz() }}))
     from {{ this }})
{%- endmacro %}

{#- A post-hook: a built row older than a row of `relation` that touches it (`touches`, a
    condition on `input` and `built`) was written again in this run if it still exists, so one
    still older no longer exists and is deleted (the batch of a delete+insert holds no row to
    replace it). -#}
{% macro drop_rows_older_than_inputs(relation, touches) -%}
    {%- if is_incremental() -%}
    delete from {{ this }} as built
    where exists (
        select 1
        from {{ relation }} as input
        where input.refreshed_at > built.refreshed_at
          and {{ touches }}
    )
    {%- endif -%}
{%- endmacro %}

{#- A post-hook: rows whose `key` no longer has a row in `relation` are deleted (an author left
    without posts, a thread left without mentions). -#}
{% macro drop_rows_missing_from(relation, key) -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where {{ key }} not in (select {{ key }} from {{ relation }} where {{ key }} is not null)
    {%- endif -%}
{%- endmacro %}
