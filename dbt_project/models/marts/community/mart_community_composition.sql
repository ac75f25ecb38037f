{{ config(
    materialized='incremental',
    unique_key='period_start',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="{{ drop_periods_not_in(ref('mart_contributor_typology')) }}",
    meta={'test_newest_rows': 'refreshed_at'}
) }}

{#- Per brand and month: the share of each community type, compared with Gartner's bands
    (creators <= 3 %, contributors 3-10 %, opportunists 10-20 %, the rest observers; vars
    gartner_*). The singular test assert_community_within_gartner_bands warns on rows outside.
    Incremental: a build counts again the months mart_contributor_typology rewrote since this
    table's newest refreshed_at (it rewrites a month whole); a month gone there is deleted. -#}

{%- set incremental = is_incremental() and built_has_columns(this, ['refreshed_at']) %}

with typology as (
    select * from {{ ref('mart_contributor_typology') }}
    {%- if incremental %}
    where period_start in (
        select period_start
        from {{ ref('mart_contributor_typology') }}
        where refreshed_at > {{ own_watermark() }}
    )
    {%- endif %}
),

counted as (
    select
        brand,
        period_start,
        count(*) as authors,
        cast(sum(case when author_type = 'creator' then 1 else 0 end) as {{ dbt.type_bigint() }}) as creators,
        cast(sum(case when author_type = 'contributor' then 1 else 0 end) as {{ dbt.type_bigint() }}) as contributors,
        cast(sum(case when author_type = 'opportunist' then 1 else 0 end) as {{ dbt.type_bigint() }}) as opportunists,
        cast(sum(case when author_type = 'observer' then 1 else 0 end) as {{ dbt.type_bigint() }}) as observers
    from typology
    group by brand, period_start
),

shares as (
    select
        *,
        cast(creators as {{ ecoute_type('float') }}) / authors as creator_share,
        cast(contributors as {{ ecoute_type('float') }}) / authors as contributor_share,
        cast(opportunists as {{ ecoute_type('float') }}) / authors as opportunist_share,
        cast(observers as {{ ecoute_type('float') }}) / authors as observer_share
    from counted
),

final as (
    select
        *,
        creator_share <= {{ var('gartner_creators_max') }} as creators_within_band,
        contributor_share between {{ var('gartner_contributors_min') }}
            and {{ var('gartner_contributors_max') }} as contributors_within_band,
        opportunist_share between {{ var('gartner_opportunists_min') }}
            and {{ var('gartner_opportunists_max') }} as opportunists_within_band,
        {{ dbt.current_timestamp() }} as refreshed_at
    from shares
)

select * from final
