with source as (
    {{ select_source('enrichment', 'mention_enrichment__keywords', {
        'value': 'string', '_dlt_root_id': 'string'
    }) }}
),

renamed as (
    select
        _dlt_root_id as enrichment_row_id,
        {{ fold_case('trim(value)') }} as keyword
    from source
)

select * from renamed
