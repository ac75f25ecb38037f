{#- Every source's quarantine in one view, so the page and the checks count what was set aside. -#}

with web as (
    {{ select_source('raw', 'web_quarantine') }}
),

hackernews as (
    {{ select_source('raw', 'hackernews_quarantine') }}
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
