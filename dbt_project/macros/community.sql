{#- Helpers of the community models (author behaviour and typology). -#}

{#- The host of the first http(s) link in a text, lowercased, without a leading "www."; null
    without a link. POSIX regexes: DuckDB's regexp_extract, Postgres' substring ... from. -#}
{% macro first_link_domain(column) -%}
    {{ return(adapter.dispatch('first_link_domain', 'ecoute')(column)) }}
{%- endmacro %}

{% macro default__first_link_domain(column) -%}
    nullif(regexp_replace(
        substring({{ fold_case("coalesce(" ~ column ~ ", '')") }} from 'https?://([^/?#[:space:]"<>]+)'),
        '^www\.', ''), '')
{%- endmacro %}

{% macro duckdb__first_link_domain(column) -%}
    nullif(regexp_replace(
        regexp_extract(lower(coalesce({{ column }}, '')), 'https?://([^/?#[:space:]"<>]+)', 1),
        '^www\.', ''), '')
{%- endmacro %}

{#- The value at quantile q of `column` within each `partition` (percentile_disc: the smallest
    value with at least q of the rows at or below it), as a window expression over rows ranked by
    row_number. Portable: no ordered-set aggregate, no engine-specific quantile function. Use it
    in a CTE that already holds `rank_column` (row_number over partition order by column) and
    `count_column` (count(*) over partition). -#}
{% macro quantile_disc_from_rank(column, q, rank_column, count_column, partition) -%}
    max(case when {{ rank_column }} = greatest(1, cast(ceil({{ q }} * {{ count_column }}) as {{ dbt.type_bigint() }}))
        then {{ column }} end) over (partition by {{ partition }})
{%- endmacro %}
