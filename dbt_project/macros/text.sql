{#- Text helpers shared by deduplication and promo detection. Every class is spelled out (ASCII
    punctuation, digits and whitespace), so DuckDB (RE2, ASCII classes) and Postgres (whose
    `[[:punct:]]`, `\s` and `lower()` follow the database locale) give the same result. -#}

{#- Unicode lowercase (one letter for one letter, as DuckDB's), whatever the database locale:
    Postgres under locale `C` leaves `É` as is, so it folds through the `C.utf8` collation (glibc's
    simple case mapping; ICU's `und-x-icu` would map `İ` to two characters and a final `Σ` to `ς`).
    The var `ecoute_postgres_text_collation` names another collation where `C.utf8` is absent. -#}
{% macro fold_case(column) -%}
    {{ return(adapter.dispatch('fold_case', 'ecoute')(column)) }}
{%- endmacro %}

{% macro default__fold_case(column) -%}
    lower({{ column }})
{%- endmacro %}

{% macro postgres__fold_case(column) -%}
    lower(({{ column }}) collate "{{ var('ecoute_postgres_text_collation', 'C.utf8') }}")
{%- endmacro %}

{#- Lowercase, trimmed, runs of ASCII whitespace collapsed: equal for copies that differ only in layout. -#}
{% macro normalized_text(column) -%}
    regexp_replace({{ fold_case('trim(' ~ column ~ ')') }}, '[\t\n\f\r ]+', ' ', 'g')
{%- endmacro %}

{#- Letters only (ASCII punctuation, digits and whitespace removed; other characters, accented
    letters, typographic quotes and emoji, kept): equal for near-copies whose punctuation, numbers,
    case or layout differ. Not a prefix: templated openings ("Le marché des opérateurs reste…")
    would merge different articles. -#}
{% macro near_duplicate_text(column) -%}
    regexp_replace({{ fold_case(column) }}, '[\t\n\v\f\r !-/0-9:-@\[-`{-~]+', '', 'g')
{%- endmacro %}

{#- True when the lowercase text matches the pattern. -#}
{% macro regex_matches(column, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'ecoute')(column, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(column, pattern) -%}
    ({{ fold_case("coalesce(" ~ column ~ ", '')") }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_matches(column, pattern) -%}
    regexp_matches(lower(coalesce({{ column }}, '')), '{{ pattern }}')
{%- endmacro %}
