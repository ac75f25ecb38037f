{#- Column types by short name, through dbt's cross-database type macros. -#}
{% macro ecoute_type(name) -%}
    {%- if name == 'string' -%}{{ dbt.type_string() }}
    {%- elif name == 'bigint' -%}{{ dbt.type_bigint() }}
    {%- elif name == 'float' -%}double precision
    {%- elif name == 'boolean' -%}{{ dbt.type_boolean() }}
    {%- elif name == 'timestamptz' -%}{{ type_timestamptz() }}
    {%- elif name == 'date' -%}date
    {%- else -%}{{ exceptions.raise_compiler_error("unknown column type " ~ name) }}
    {%- endif -%}
{%- endmacro %}

{#- dlt lands UTC instants as timestamp with time zone; dbt.type_timestamp() would drop the zone. -#}
{% macro type_timestamptz() -%}
    {{ return(adapter.dispatch('type_timestamptz', 'ecoute')()) }}
{%- endmacro %}

{% macro default__type_timestamptz() -%}timestamp with time zone{%- endmacro %}
