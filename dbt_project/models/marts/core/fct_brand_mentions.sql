{{ config(
    materialized='incremental',
    unique_key='mention_id',
    incremental_strategy='delete+insert',
    tags=['day_partition'],
    pre_hook="{{ serialise_model_writes() }}",
    on_schema_change='append_new_columns',
    meta={'test_newest_rows': 'refreshed_at'}
) }}

{#- One row per mention x brand. Incremental: rewrites every brand row of the mentions that
    fct_mentions rewrote in this run (delete by mention_id, so a brand dropped by re-enrichment
    disappears too). This is also the "latest mentions with source links" feed of the page. -#}

with brand_mentions as (
    select * from {{ ref('int_brand_mentions') }}
),

mentions as (
    select * from {{ ref('fct_mentions') }}
),

{% if is_incremental() %}
refreshed as (
    select mention_id, is_canonical, published_date, refreshed_at
    from mentions
    where refreshed_at > {{ own_watermark() }}
),
{% else %}
refreshed as (
    select mention_id, is_canonical, published_date, refreshed_at
    from mentions
),
{% endif %}

final as (
    select
        {{ dbt.hash(dbt.concat(['brand_mentions.mention_id', "'|'", 'brand_mentions.brand'])) }}
            as brand_mention_id,
        brand_mentions.mention_id,
        brand_mentions.brand,
        brand_mentions.story_id,
        refreshed.is_canonical,
        brand_mentions.source,
        brand_mentions.site,
        brand_mentions.kind,
        brand_mentions.url,
        brand_mentions.title,
        brand_mentions.text,
        brand_mentions.author_id,
        brand_mentions.author_name,
        brand_mentions.published_at,
        refreshed.published_date,
        brand_mentions.thread_id,
        brand_mentions.lang,
        brand_mentions.matched_alias,
        brand_mentions.match_rule,
        brand_mentions.match_explanation,
        brand_mentions.sentiment_label,
        brand_mentions.model_label,
        brand_mentions.is_corrected,
        brand_mentions.category,
        brand_mentions.sentiment_score,
        brand_mentions.sentiment_confidence,
        brand_mentions.sentiment_rule,
        brand_mentions.post_sentiment_label,
        brand_mentions.is_sentiment_scored,
        brand_mentions.sentiment_backend,
        brand_mentions.enrichment_version,
        brand_mentions.enriched_at,
        refreshed.refreshed_at
    from brand_mentions
    inner join refreshed on brand_mentions.mention_id = refreshed.mention_id
)

select * from final
