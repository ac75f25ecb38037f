with source as (
    {{ select_source('enrichment', 'mention_enrichment__entities', {
        'text': 'string', 'label': 'string', '_dlt_root_id': 'string'
    }) }}
),

renamed as (
    select
        _dlt_root_id as enrichment_row_id,
        text as entity_text,
        upper(label) as entity_label
    from source
)

select * from renamed
