{#- Every source's quarantine in one view, so the page and the checks count what was set aside. -#}
{%- set quarantine_columns = {
    'quarantine_id': 'string', 'source': 'string', 'reason': 'string', 'payload': 'string',
    'received_at': 'timestamptz'
} -%}

with web as (
    {{ select_source('raw', 'web_quarantine', quarantine_columns) }}
),

hackernews as (
    {{ select_source('raw', 'hackernews_quarantine', quarantine_columns) }}
),

unioned as (
    select * from web
    union all
    select * from hackernews
),

renamed as (
    select
        quarantine_id,
        source,
        reason,
        payload,
        received_at
    from unioned
)

select * from renamed
