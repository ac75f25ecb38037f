with source as (
    {{ select_source('raw', 'bluesky_posts') }}
),

renamed as (
    select
        uri,
        nullif(trim(author), '') as author_handle,
        nullif(trim(author_name), '') as author_display_name,
        created_at as published_at,
        nullif(trim(title), '') as title,
        nullif(trim(text), '') as body,
        url,
        parent_uri,
        root_uri,
        lower(nullif(trim(language), '')) as lang_hint,
        reply_count,
        repost_count,
        like_count,
        quote_count,
        matched_query,
        fetched_at
    from source
)

select * from renamed
