{{ config(materialized='table') }}

{#- The correction in force per (mention, brand, field): the latest event (ties: event_id). -#}

with events as (
    select * from {{ ref('stg_corrections__events') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by mention_id, brand, field
            order by corrected_at desc, event_id desc
        ) as recency_rank,
        count(*) over (partition by mention_id, brand, field) as corrections_count
    from events
)

select
    mention_id,
    brand,
    field,
    new_value as corrected_value,
    old_value,
    model_version,
    corrected_by,
    corrected_at,
    reason,
    event_id,
    corrections_count
from ranked
where recency_rank = 1
