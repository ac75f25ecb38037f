{#- Each brand's official accounts from ecoute.yml: lower-case handles, any source. -#}

with source as (
    {{ select_source('enrichment', 'official_accounts', {'brand': 'string', 'handle': 'string'}) }}
),

renamed as (
    select distinct
        brand,
        {{ fold_case('trim(handle)') }} as handle
    from source
    where nullif(trim(handle), '') is not null
)

select * from renamed
