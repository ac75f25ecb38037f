{#- People's corrections, one row per event (raw is merged on event_id; kept once here too). -#}

with source as (
    {{ select_source('raw', 'corrections') }}
),

renamed as (
    select
        event_id,
        mention_id,
        trim(brand) as brand,
        lower(trim(field)) as field,
        nullif(trim(old_value), '') as old_value,
        trim(new_value) as new_value,
        model_version,
        trim(who) as corrected_by,
        made_at as corrected_at,
        nullif(trim(reason), '') as reason
    from source
),

once as (
    select
        *,
        row_number() over (partition by event_id order by corrected_at) as event_rank
    from renamed
)

select
    event_id,
    mention_id,
    brand,
    field,
    old_value,
    new_value,
    model_version,
    corrected_by,
    corrected_at,
    reason
from once
where event_rank = 1
