{#- Per brand and month: the share of each community type, compared with Gartner's bands
    (creators <= 3 %, contributors 3-10 %, opportunists 10-20 %, the rest observers; vars
    gartner_*). The singular test assert_community_within_gartner_bands warns on rows outside. -#}

with typology as (
    select * from {{ ref('mart_contributor_typology') }}
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
            and {{ var('gartner_opportunists_max') }} as opportunists_within_band
    from shares
)

select * from final
