{#- Per brand, ISO week and key phrase: how much more the phrase is used this week than in
    the brand's other weeks (lift, additively smoothed by var keywords_smoothing), so what is
    new in the conversation rises to the top. Keeps phrases in >= keywords_min_mentions unique
    mentions, the top keywords_top_n per brand-week, each with an example mention. -#}

{#- The counts per brand-week and phrase come from int_brand_keywords_weekly (incremental on the
    brand-weeks a build touches); the lift needs every week of the brand, read from there. -#}

with weekly as (
    select * from {{ ref('int_brand_keywords_weekly') }}
),

period_volume as (
    select
        brand,
        {{ week_start('published_date') }} as period_start,
        count(*) as period_mentions
    from {{ ref('fct_brand_mentions') }}
    where is_canonical and published_date is not null
    group by brand, {{ week_start('published_date') }}
),

brand_volume as (
    select brand, cast(sum(period_mentions) as {{ dbt.type_bigint() }}) as brand_mentions
    from period_volume
    group by brand
),

keyword_period as (
    select brand, period_start, keyword, keyword_mentions
    from weekly
),

keyword_total as (
    select brand, keyword, cast(sum(keyword_mentions) as {{ dbt.type_bigint() }}) as keyword_brand_mentions
    from keyword_period
    group by brand, keyword
),

examples as (
    select brand, period_start, keyword, example_mention_id, example_url, example_title
    from weekly
),

scored as (
    select
        keyword_period.brand,
        keyword_period.period_start,
        keyword_period.keyword,
        keyword_period.keyword_mentions,
        period_volume.period_mentions,
        keyword_total.keyword_brand_mentions - keyword_period.keyword_mentions
            as baseline_keyword_mentions,
        brand_volume.brand_mentions - period_volume.period_mentions as baseline_mentions,
        (cast(keyword_period.keyword_mentions as {{ ecoute_type('float') }}) + {{ var('keywords_smoothing') }})
        / (period_volume.period_mentions + {{ var('keywords_smoothing') }})
        / (
            (cast(keyword_total.keyword_brand_mentions - keyword_period.keyword_mentions as {{ ecoute_type('float') }})
                + {{ var('keywords_smoothing') }})
            / (brand_volume.brand_mentions - period_volume.period_mentions + {{ var('keywords_smoothing') }})
        ) as lift
    from keyword_period
    inner join period_volume
        on keyword_period.brand = period_volume.brand
        and keyword_period.period_start = period_volume.period_start
    inner join keyword_total
        on keyword_period.brand = keyword_total.brand
        and keyword_period.keyword = keyword_total.keyword
    inner join brand_volume on keyword_period.brand = brand_volume.brand
    where keyword_period.keyword_mentions >= {{ var('keywords_min_mentions') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by brand, period_start
            order by lift desc, keyword_mentions desc, keyword
        ) as keyword_rank
    from scored
),

final as (
    select
        ranked.brand,
        ranked.period_start,
        ranked.keyword_rank,
        ranked.keyword,
        ranked.keyword_mentions,
        ranked.period_mentions,
        ranked.baseline_keyword_mentions,
        ranked.baseline_mentions,
        ranked.lift,
        examples.example_mention_id,
        examples.example_url,
        examples.example_title
    from ranked
    inner join examples
        on ranked.brand = examples.brand
        and ranked.period_start = examples.period_start
        and ranked.keyword = examples.keyword
    where ranked.keyword_rank <= {{ var('keywords_top_n') }}
)

select * from final
