{#-
    Select a dlt-loaded table with fixed column names and types.

    dlt creates a table only once it has seen a row, and a column only once it has seen a non-null
    value (or has a type hint), so a young warehouse may lack a table (no Hacker News yet, no
    enrichment yet) or a column. Missing columns become typed nulls; a missing table becomes an
    empty typed relation, so every downstream model still builds.

    columns: mapping of column name -> short type name (see ecoute_type). Left out, the columns
    and their data_type are the source's own, as declared in its yml: for `raw`, that is
    _sources.yml, generated from core/raw_schema.py, so the raw types are written once.
-#}
{% macro select_source(source_name, table_name, columns=none) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if columns is none -%}
        {%- set columns = declared_columns(source_name, table_name) -%}
    {%- endif -%}
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

{#- name -> data_type of a source table's columns, in yml order (empty while parsing). -#}
{% macro declared_columns(source_name, table_name) -%}
    {%- set columns = {} -%}
    {%- if execute -%}
        {%- for node in graph.sources.values()
                if node.source_name == source_name and node.name == table_name -%}
            {%- for column in node.columns.values() -%}
                {%- if not column.data_type -%}
                    {{ exceptions.raise_compiler_error(
                        "source " ~ source_name ~ "." ~ table_name ~ ": column " ~ column.name
                        ~ " has no data_type") }}
                {%- endif -%}
                {%- do columns.update({column.name: column.data_type}) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if not columns -%}
            {{ exceptions.raise_compiler_error(
                "source " ~ source_name ~ "." ~ table_name ~ " declares no columns") }}
        {%- endif -%}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}
