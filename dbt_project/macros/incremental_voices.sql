{#- Helpers of the marts incremental on the keys their inputs touched, whose own newest
    `refreshed_at` is their watermark (dim_authors, int_author_brand_stance, fct_brand_requests):
    their inputs are built before them in the same run, so an input row written after that
    watermark is one the mart has not seen. -#}

{#- The mart's newest refreshed_at, as a scalar subquery (the oldest time when it holds no row,
    so an empty build does not stop every later one from reading its inputs). -#}
{% macro own_watermark() -%}
    (select coalesce(max(refreshed_at), cast('1900-01-01 00:00:00+00' as {{ type_timestamptz() }}))
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
