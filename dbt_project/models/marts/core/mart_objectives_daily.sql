{#- Objective x UTC day: each objective of ecoute.yml with its daily value, its target and
    whether that day is on track. Days run from the first to the last day with brand mentions.

    volume: the brand's unique mentions (0 on a quiet day); share_of_voice: its share of all
    brands' mentions; net_sentiment, negative_share: over its mentions (null without any);
    response_rate_24h, median_response_hours: over the requests opened that day
    (mart_brand_responsiveness_daily; null without any, provisional until the day is settled).
    status: on_track, off_track, or no_data when the day has no value. -#}

with objectives as (
    select * from {{ ref('stg_enrichment__objectives') }}
),

sentiment as (
    select * from {{ ref('mart_brand_sentiment_daily') }}
),

share_of_voice as (
    select * from {{ ref('mart_share_of_voice') }}
    where period_grain = 'day'
),

day_totals as (
    select period_start as day, max(total_mentions) as total_mentions
    from share_of_voice
    group by period_start
),

responsiveness as (
    select * from {{ ref('mart_brand_responsiveness_daily') }}
),

days as (
    {{ day_spine('(select min(day) from sentiment)', '(select max(day) from sentiment)') }}
),

objective_days as (
    select
        objectives.objective,
        objectives.brand,
        objectives.kpi,
        objectives.target,
        objectives.direction,
        days.day
    from objectives
    cross join days
),

valued as (
    select
        objective_days.*,
        case objective_days.kpi
            when 'volume' then cast(coalesce(sentiment.mentions, 0) as {{ ecoute_type('float') }})
            when 'share_of_voice' then
                case
                    when day_totals.total_mentions > 0
                        then coalesce(share_of_voice.share, cast(0 as {{ ecoute_type('float') }}))
                end
            when 'net_sentiment' then sentiment.net_sentiment
            when 'negative_share' then sentiment.negative_share
            when 'response_rate_24h' then responsiveness.response_rate_24h
            when 'median_response_hours' then responsiveness.median_response_hours
        end as value,
        case
            when objective_days.kpi in ('response_rate_24h', 'median_response_hours')
                then coalesce(responsiveness.requests, 0)
            else coalesce(sentiment.mentions, 0)
        end as sample_size,
        objective_days.kpi in ('response_rate_24h', 'median_response_hours')
            and not coalesce(responsiveness.is_settled, true) as is_provisional
    from objective_days
    left join sentiment
        on objective_days.brand = sentiment.brand and objective_days.day = sentiment.day
    left join share_of_voice
        on objective_days.brand = share_of_voice.brand
        and objective_days.day = share_of_voice.period_start
    left join day_totals on objective_days.day = day_totals.day
    left join responsiveness
        on objective_days.brand = responsiveness.brand and objective_days.day = responsiveness.day
),

final as (
    select
        {{ dbt.hash(dbt.concat(['objective', "'|'", 'cast(day as ' ~ dbt.type_string() ~ ')'])) }}
            as objective_day_id,
        objective,
        brand,
        kpi,
        day,
        value,
        target,
        direction,
        value - target as gap,
        case
            when value is null then 'no_data'
            when direction = 'above' and value >= target then 'on_track'
            when direction = 'below' and value <= target then 'on_track'
            else 'off_track'
        end as status,
        sample_size,
        is_provisional
    from valued
)

select * from final
