{#-
    Select a dlt-loaded table with fixed column names and types.

    dlt creates a table only once it has seen a row, and a column only once it has seen a non-null
    value, so a young warehouse may lack a table (no Hacker News yet, no enrichment yet) or a column
    (no comment with a parent yet). Missing columns become typed nulls; a missing table becomes an
    empty typed relation, so every downstream model still builds.

    columns: mapping of column name -> short type name (see ecoute_type).
-#}
{% macro select_source(source_name, table_name, columns) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set present = none -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
        {%- if found is not none -%}
            {%- set present = adapter.get_columns_in_relation(found) | map(attribute='name') | map('lower') | list -%}
        {%- endif -%}
    {%- else -%}
        {%- set present = columns.keys() | list -%}
    {%- endif -%}
    select
    {%- for name, type in columns.items() %}
        {% if present is not none and name in present -%}
            cast({{ adapter.quote(name) }} as {{ ecoute_type(type) }})
        {%- else -%}
            cast(null as {{ ecoute_type(type) }})
        {%- endif %} as {{ adapter.quote(name) }}{% if not loop.last %},{% endif %}
    {%- endfor %}
    {% if present is not none -%}
    from {{ relation }}
    {%- else -%}
    where 1 = 0
    {%- endif %}
{%- endmacro %}
