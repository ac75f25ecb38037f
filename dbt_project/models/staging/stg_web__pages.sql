with source as (
    {{ select_source('raw', 'web_pages', {
        'url': 'string', 'site': 'string', 'title': 'string', 'author': 'string',
        'published_at': 'timestamptz', 'text': 'string', 'content_hash': 'string',
        'lang_hint': 'string', 'fetched_at': 'timestamptz'
    }) }}
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
