with source as (
    {{ select_source('enrichment', 'brands', {
        'brand': 'string', 'is_competitor': 'boolean'
    }) }}
),

renamed as (
    select
        brand,
        coalesce(is_competitor, false) as is_competitor
    from source
)

select * from renamed
