{#- The UTC calendar day of an instant, whatever the session time zone. -#}
{% macro utc_date(column) -%}
    {{ return(adapter.dispatch('utc_date', 'ecoute')(column)) }}
{%- endmacro %}

{% macro default__utc_date(column) -%}
    cast(({{ column }} at time zone 'UTC') as date)
{%- endmacro %}

{#- Monday of the ISO week of a date, as a date. -#}
{% macro week_start(date_column) -%}
    cast({{ dbt.date_trunc('week', date_column) }} as date)
{%- endmacro %}

{#- Whole days between two instants (b - a), through dbt.datediff on their UTC dates. -#}
{% macro days_between(a, b) -%}
    {{ dbt.datediff(utc_date(a), utc_date(b), 'day') }}
{%- endmacro %}
