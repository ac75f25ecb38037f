{#- The configured brands, plus any brand still present in mentions but no longer configured
    (so every fct_brand_mentions.brand has a row here). -#}

with configured as (
    select * from {{ ref('stg_enrichment__brands') }}
),

brand_mentions as (
    select * from {{ ref('int_brand_mentions') }}
),

mention_stats as (
    select
        brand,
        count(distinct story_id) as unique_mentions,
        min(published_at) as first_mentioned_at,
        max(published_at) as last_mentioned_at
    from brand_mentions
    group by brand
),

all_brands as (
    select brand, is_competitor, true as is_configured from configured
    union all
    select distinct brand, cast(null as {{ dbt.type_boolean() }}), false
    from brand_mentions
    where brand not in (select brand from configured)
),

final as (
    select
        all_brands.brand,
        all_brands.is_competitor,
        all_brands.is_configured,
        coalesce(mention_stats.unique_mentions, 0) as unique_mentions,
        mention_stats.first_mentioned_at,
        mention_stats.last_mentioned_at
    from all_brands
    left join mention_stats on all_brands.brand = mention_stats.brand
)

select * from final
