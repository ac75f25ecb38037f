{#- Share of voice per day and per ISO week: each brand's unique mentions over all brands'. -#}

with brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    where is_canonical and published_date is not null
),

brands as (
    select * from {{ ref('dim_brands') }}
),

by_period as (
    select 'day' as period_grain, published_date as period_start, brand, mention_id
    from brand_mentions
    union all
    select 'week' as period_grain, {{ week_start('published_date') }} as period_start, brand, mention_id
    from brand_mentions
),

counted as (
    select
        period_grain,
        period_start,
        brand,
        count(*) as mentions
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
