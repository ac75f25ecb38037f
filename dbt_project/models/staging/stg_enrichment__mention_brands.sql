with source as (
    {{ select_source('enrichment', 'mention_enrichment__brands', {
        'brand': 'string', 'alias': 'string', 'rule': 'string', 'sentiment_label': 'string',
        'sentiment_score': 'float', 'sentiment_confidence': 'float', 'sentiment_rule': 'string',
        'match_explanation': 'string',
        '_dlt_root_id': 'string'
    }) }}
),

renamed as (
    select
        _dlt_root_id as enrichment_row_id,
        brand,
        alias as matched_alias,
        rule as match_rule,
        match_explanation,
        lower(sentiment_label) as brand_sentiment_label,
        sentiment_score as brand_sentiment_score,
        sentiment_confidence as brand_sentiment_confidence,
        sentiment_rule as brand_sentiment_rule
    from source
)

select * from renamed
