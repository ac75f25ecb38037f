with source as (
    {{ select_source('raw', 'feed_entries') }}
),

renamed as (
    select
        entry_key,
        feed_title,
        nullif(trim(title), '') as title,
        nullif(trim(author), '') as author_handle,
        published_at,
        nullif(trim(text), '') as body,
        url,
        lower(nullif(trim(language), '')) as lang_hint,
        fetched_at
    from source
)

select * from renamed
