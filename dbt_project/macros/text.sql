{#- Text helpers shared by deduplication and promo detection; POSIX regexes work on DuckDB and Postgres. -#}

{#- Lowercase, trimmed, runs of whitespace collapsed: equal for copies that differ only in layout. -#}
{% macro normalized_text(column) -%}
    regexp_replace(lower(trim({{ column }})), '\s+', ' ', 'g')
{%- endmacro %}

{#- Letters only (punctuation, digits, spaces removed): equal for near-copies whose
    punctuation, numbers, case or layout differ. Not a prefix: templated openings ("Le marché des
    opérateurs reste…") would merge different articles. -#}
{% macro near_duplicate_text(column) -%}
    regexp_replace(lower({{ column }}), '[[:punct:][:space:][:digit:]]+', '', 'g')
{%- endmacro %}

{#- True when the lowercase text matches the pattern. -#}
{% macro regex_matches(column, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'ecoute')(column, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(column, pattern) -%}
    (lower(coalesce({{ column }}, '')) ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_matches(column, pattern) -%}
    regexp_matches(lower(coalesce({{ column }}, '')), '{{ pattern }}')
{%- endmacro %}
