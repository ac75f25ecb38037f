{#- What an incremental model needs to know about dlt's loads into `raw`. A dlt load id is the
    load's start in epoch seconds, as text of a fixed width, so load ids order as text too.
    A raw table not created yet (its source never loaded) has no load. -#}

{#- The raw table as it exists in the warehouse, or none (also while parsing). -#}
{% macro loaded_raw_relation(table_name) -%}
    {%- set relation = source('raw', table_name) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier)) }}
{%- endmacro %}

{#- The keys (as `loaded_key`) of a raw table's rows written by a load after `watermark` (a SQL
    expression giving a load id). -#}
{% macro raw_keys_loaded_after(table_name, key, watermark) -%}
    {%- set relation = loaded_raw_relation(table_name) -%}
    {%- if relation is not none -%}
    select {{ adapter.quote(key) }} as loaded_key
    from {{ relation }}
    where _dlt_load_id > {{ watermark }}
    {%- else -%}
    select cast(null as {{ dbt.type_string() }}) as loaded_key where 1 = 0
    {%- endif -%}
{%- endmacro %}

{#- The newest load id found in any of these raw tables (a scalar subquery; null when none). -#}
{% macro newest_raw_load(table_names) -%}
    (
        select max(load_id) from (
            {%- for table_name in table_names %}
            {%- set relation = loaded_raw_relation(table_name) %}
            {%- if relation is not none %}
            select max(_dlt_load_id) as load_id from {{ relation }}
            union all
            {%- endif %}
            {%- endfor %}
            select cast(null as {{ dbt.type_string() }}) as load_id
        ) as loads
    )
{%- endmacro %}
