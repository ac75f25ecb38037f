{#- One row per enriched mention x matched brand (child table joined through _dlt_root_id), with
    people's corrections applied: the latest per (mention, brand, field) overrides the model's
    sentiment (kept as model_label) and sets the category; "not about this brand" drops the row. -#}

with mentions as (
    select
        *,
        sentiment_label as post_sentiment_label
    from {{ ref('int_mentions_enriched') }}
),

brand_matches as (
    select * from {{ ref('stg_enrichment__mention_brands') }}
),

corrections as (
    select * from {{ ref('int_corrections_latest') }}
),

{#- a brand matched twice in one mention (two aliases) counts once: keep the first match -#}
ranked_matches as (
    select
        *,
        row_number() over (
            partition by enrichment_row_id, brand
            order by matched_alias, match_rule
        ) as match_rank
    from brand_matches
),

final as (
    select
        mentions.mention_id,
        brand_matches.brand,
        mentions.story_id,
        mentions.is_canonical,
        mentions.source,
        mentions.site,
        mentions.kind,
        mentions.url,
        mentions.title,
        mentions.text,
        mentions.author_id,
        mentions.author_name,
        mentions.published_at,
        mentions.thread_id,
        mentions.lang,
        brand_matches.matched_alias,
        brand_matches.match_rule,
        brand_matches.match_explanation,
        coalesce(
            sentiment_fix.corrected_value,
            brand_matches.brand_sentiment_label,
            mentions.sentiment_label
        ) as sentiment_label,
        coalesce(brand_matches.brand_sentiment_label, mentions.sentiment_label) as model_label,
        sentiment_fix.corrected_value is not null as is_corrected,
        category_fix.corrected_value as category,
        case sentiment_fix.corrected_value
            when 'positive' then 1.0
            when 'negative' then -1.0
            when 'neutral' then 0.0
            else coalesce(brand_matches.brand_sentiment_score, mentions.sentiment_score)
        end as sentiment_score,
        case
            when sentiment_fix.corrected_value is not null then 1.0
            when brand_matches.brand_sentiment_label is null then mentions.sentiment_confidence
            else brand_matches.brand_sentiment_confidence
        end as sentiment_confidence,
        brand_matches.brand_sentiment_rule as sentiment_rule,
        mentions.post_sentiment_label,
        mentions.is_sentiment_scored,
        mentions.sentiment_backend,
        mentions.enrichment_version,
        mentions.enriched_at
    from ranked_matches as brand_matches
    inner join mentions on brand_matches.enrichment_row_id = mentions.enrichment_row_id
    left join corrections as sentiment_fix
        on mentions.mention_id = sentiment_fix.mention_id
        and brand_matches.brand = sentiment_fix.brand
        and sentiment_fix.field = 'sentiment'
    left join corrections as relevance_fix
        on mentions.mention_id = relevance_fix.mention_id
        and brand_matches.brand = relevance_fix.brand
        and relevance_fix.field = 'relevance'
    left join corrections as category_fix
        on mentions.mention_id = category_fix.mention_id
        and brand_matches.brand = category_fix.brand
        and category_fix.field = 'category'
    where
        brand_matches.match_rank = 1
        and coalesce(relevance_fix.corrected_value, 'about') = 'about'
)

select * from final
