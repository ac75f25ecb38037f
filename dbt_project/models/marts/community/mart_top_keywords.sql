{#- Per brand, ISO week and key phrase: how much more the phrase is used this week than in
    the brand's other weeks (lift, additively smoothed by var keywords_smoothing), so what is
    new in the conversation rises to the top. Keeps phrases in >= keywords_min_mentions unique
    mentions, the top keywords_top_n per brand-week, each with an example mention. -#}

with brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    where is_canonical and published_date is not null
),

enriched as (
    select mention_id, enrichment_row_id from {{ ref('int_mentions_enriched') }}
),

keywords as (
    select distinct enrichment_row_id, keyword
    from {{ ref('stg_enrichment__mention_keywords') }}
    where keyword is not null and keyword <> ''
),

brand_keywords as (
    select
        brand_mentions.brand,
        {{ week_start('brand_mentions.published_date') }} as period_start,
        brand_mentions.mention_id,
        brand_mentions.url,
        brand_mentions.title,
        brand_mentions.sentiment_score,
        keywords.keyword
    from brand_mentions
    inner join enriched on brand_mentions.mention_id = enriched.mention_id
    inner join keywords on enriched.enrichment_row_id = keywords.enrichment_row_id
    -- the brand's own name says nothing new about it
    where keywords.keyword <> {{ fold_case('brand_mentions.brand') }}
      and keywords.keyword <> {{ fold_case("coalesce(brand_mentions.matched_alias, '')") }}
),

period_volume as (
    select
        brand,
        {{ week_start('published_date') }} as period_start,
        count(*) as period_mentions
    from brand_mentions
    group by brand, {{ week_start('published_date') }}
),

brand_volume as (
    select brand, cast(sum(period_mentions) as {{ dbt.type_bigint() }}) as brand_mentions
    from period_volume
    group by brand
),

keyword_period as (
    select brand, period_start, keyword, count(*) as keyword_mentions
    from brand_keywords
    group by brand, period_start, keyword
),

keyword_total as (
    select brand, keyword, cast(sum(keyword_mentions) as {{ dbt.type_bigint() }}) as keyword_brand_mentions
    from keyword_period
    group by brand, keyword
),

examples as (
    select
        brand,
        period_start,
        keyword,
        mention_id as example_mention_id,
        url as example_url,
        title as example_title,
        row_number() over (
            partition by brand, period_start, keyword
            order by abs(coalesce(sentiment_score, 0)) desc, mention_id
        ) as example_rank
    from brand_keywords
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
        and examples.example_rank = 1
    where ranked.keyword_rank <= {{ var('keywords_top_n') }}
)

select * from final
