{#- Share of voice per day and per ISO week: each brand's unique mentions over all brands'.
    Counted from mart_brand_sentiment_daily (its `mentions` are the brand's canonical mentions of
    the day, the same rows), which rewrites only the days a build touches: this table then reads
    brands x days, not every mention. -#}

with daily as (
    select * from {{ ref('mart_brand_sentiment_daily') }}
),

brands as (
    select * from {{ ref('dim_brands') }}
),

by_period as (
    select 'day' as period_grain, day as period_start, brand, mentions
    from daily
    union all
    select 'week' as period_grain, {{ week_start('day') }} as period_start, brand, mentions
    from daily
),

counted as (
    select
        period_grain,
        period_start,
        brand,
        cast(sum(mentions) as {{ dbt.type_bigint() }}) as mentions
    from by_period
    group by period_grain, period_start, brand
),

with_totals as (
    select
        *,
        cast(sum(mentions) over (partition by period_grain, period_start) as {{ dbt.type_bigint() }}) as total_mentions
    from counted
),

final as (
    select
        with_totals.period_grain,
        with_totals.period_start,
        with_totals.brand,
        brands.is_competitor,
        with_totals.mentions,
        with_totals.total_mentions,
        cast(with_totals.mentions as {{ ecoute_type('float') }}) / with_totals.total_mentions as share
    from with_totals
    left join brands on with_totals.brand = brands.brand
)

select * from final
