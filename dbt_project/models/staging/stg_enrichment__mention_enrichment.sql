with source as (
    {{ select_source('enrichment', 'mention_enrichment', {
        'mention_id': 'string', 'content_hash': 'string', 'enrichment_version': 'string',
        'lang': 'string', 'lang_confidence': 'float', 'sentiment_label': 'string',
        'sentiment_score': 'float', 'enriched_at': 'timestamptz', '_dlt_id': 'string'
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
        enriched_at,
        _dlt_id as enrichment_row_id
    from source
)

select * from renamed
