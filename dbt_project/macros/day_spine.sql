{#- Every day from start_date to end_date (inclusive, at most 10 000 days) as `day`, from a
    digits cross join: portable where generate_series differs between engines. -#}
{% macro day_spine(start_date, end_date) -%}
    with digits as (
        select 0 as d union all select 1 union all select 2 union all select 3
        union all select 4 union all select 5 union all select 6 union all select 7
        union all select 8 union all select 9
    ),

    offsets as (
        select a.d + 10 * b.d + 100 * c.d + 1000 * e.d as n
        from digits as a
        cross join digits as b
        cross join digits as c
        cross join digits as e
    )

    select cast({{ dbt.dateadd('day', 'offsets.n', start_date) }} as date) as day
    from offsets
    where {{ dbt.dateadd('day', 'offsets.n', start_date) }} <= {{ end_date }}
{%- endmacro %}
