{#- Every source's quarantine in one view, so the page and the checks count what was set aside.
    A source that never quarantined anything has no table yet: select_source reads it as empty. -#}

{%- set quarantines = ['web', 'hackernews', 'mastodon', 'bluesky', 'reddit', 'feeds', 'import'] %}

with

{% for name in quarantines -%}
{{ name }} as (
    {{ select_source('raw', name ~ '_quarantine') }}
),

{% endfor -%}

unioned as (
    {%- for name in quarantines %}
    select * from {{ name }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
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
