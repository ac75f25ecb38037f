with source as (
    {{ select_source('enrichment', 'mention_enrichment', {
        'mention_id': 'string', 'content_hash': 'string', 'enrichment_version': 'string',
        'lang': 'string', 'lang_confidence': 'float', 'sentiment_label': 'string',
        'sentiment_score': 'float', 'sentiment_confidence': 'float', 'sentiment_scored': 'boolean',
        'sentiment_backend': 'string', 'enriched_at': 'timestamptz', '_dlt_id': 'string'
    }) }}
),

renamed as (
    select
        mention_id,
        content_hash as enriched_content_hash,
        enrichment_version,
        lower(lang) as lang,
        lang_confidence,
        lower(sentiment_label) as sentiment_label,
        sentiment_score,
        sentiment_confidence,
        {#- rows written before the flag existed were all scored by a model -#}
        coalesce(sentiment_scored, true) as is_sentiment_scored,
        coalesce(sentiment_backend, 'rules') as sentiment_backend,
        enriched_at,
        _dlt_id as enrichment_row_id
    from source
)

select * from renamed
