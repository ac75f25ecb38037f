{#- Mentions joined to their enrichment; mentions not enriched yet are left out. -#}

with mentions as (
    select * from {{ ref('int_mentions_deduplicated') }}
),

enrichment as (
    select * from {{ ref('stg_enrichment__mention_enrichment') }}
),

brand_counts as (
    select
        enrichment_row_id,
        count(distinct brand) as n_brands
    from {{ ref('stg_enrichment__mention_brands') }}
    group by enrichment_row_id
),

final as (
    select
        mentions.*,
        enrichment.enrichment_row_id,
        enrichment.enrichment_version,
        enrichment.lang,
        enrichment.lang_confidence,
        enrichment.sentiment_label,
        enrichment.sentiment_score,
        enrichment.sentiment_confidence,
        enrichment.is_sentiment_scored,
        enrichment.sentiment_backend,
        enrichment.enriched_at,
        enrichment.enriched_content_hash = mentions.content_hash as is_enrichment_current,
        coalesce(brand_counts.n_brands, 0) as n_brands
    from mentions
    inner join enrichment on mentions.mention_id = enrichment.mention_id
    left join brand_counts on enrichment.enrichment_row_id = brand_counts.enrichment_row_id
)

select * from final
