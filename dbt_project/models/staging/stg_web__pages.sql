with source as (
    {{ select_source('raw', 'web_pages') }}
),

renamed as (
    select
        url as page_url,
        site,
        title,
        nullif(trim(author), '') as author_name,
        published_at,
        text as body,
        content_hash,
        lower(nullif(trim(lang_hint), '')) as lang_hint,
        fetched_at
    from source
)

select * from renamed
