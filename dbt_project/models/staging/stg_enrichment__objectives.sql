{#- The objectives of ecoute.yml (written by the enrichment step, replaced on every run). -#}

with source as (
    {{ select_source('enrichment', 'objectives', {
        'objective': 'string', 'brand': 'string', 'kpi': 'string', 'target': 'float',
        'direction': 'string'
    }) }}
),

renamed as (
    select
        objective,
        brand,
        kpi,
        target,
        coalesce(direction, 'above') as direction
    from source
    where objective is not null
)

select * from renamed
