{#- Coders' blind answers on double-coding samples, one row per event. -#}

with source as (
    {{ select_source('raw', 'coding_answers') }}
),

renamed as (
    select
        event_id,
        sample_id,
        item_id,
        mention_id,
        trim(brand) as brand,
        lower(trim(field)) as field,
        trim(new_value) as coded_value,
        trim(coder) as coder,
        made_at as coded_at
    from source
),

once as (
    select
        *,
        row_number() over (partition by event_id order by coded_at) as event_rank
    from renamed
)

select
    event_id,
    sample_id,
    item_id,
    mention_id,
    brand,
    field,
    coded_value,
    coder,
    coded_at
from once
where event_rank = 1
