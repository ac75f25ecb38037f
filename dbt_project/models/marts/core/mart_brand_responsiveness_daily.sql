{#- Brand x UTC day of the requests opened that day (fct_brand_requests): how many, how many
    an official account answered, within 24 h, and the median hours to the first answer. Only
    brands with official accounts; days without a request have no row. A day is settled once the
    newest collected post is at least 24 h past its end: before that, more answers can come. -#}

with requests as (
    select * from {{ ref('fct_brand_requests') }}
),

latest as (
    select max(published_at) as newest_at from {{ ref('fct_mentions') }}
),

counted as (
    select
        brand,
        opened_date as day,
        count(*) as requests,
        cast(sum(case when is_answered then 1 else 0 end) as {{ dbt.type_bigint() }}) as answered,
        cast(sum(case when is_answered_24h then 1 else 0 end) as {{ dbt.type_bigint() }})
            as answered_24h,
        percentile_cont(0.5) within group (order by response_hours) as median_response_hours
    from requests
    group by brand, opened_date
),

final as (
    select
        counted.brand,
        counted.day,
        counted.requests,
        counted.answered,
        counted.answered_24h,
        cast(counted.answered as {{ ecoute_type('float') }}) / counted.requests as answer_rate,
        cast(counted.answered_24h as {{ ecoute_type('float') }}) / counted.requests
            as response_rate_24h,
        cast(counted.median_response_hours as {{ ecoute_type('float') }}) as median_response_hours,
        coalesce(
            {{ utc_date('latest.newest_at') }} >= {{ dbt.dateadd('day', 2, 'counted.day') }}, false
        ) as is_settled
    from counted
    cross join latest
)

select * from final
