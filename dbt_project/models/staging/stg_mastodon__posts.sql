with source as (
    {{ select_source('raw', 'mastodon_posts') }}
),

renamed as (
    select
        uri,
        instance,
        status_id,
        nullif(trim(author), '') as author_handle,
        nullif(trim(author_name), '') as author_display_name,
        created_at as published_at,
        nullif(trim(title), '') as title,
        nullif(trim(text), '') as body,
        spoiler_text,
        url,
        in_reply_to_id as in_reply_to_status_id,
        thread_id as thread_status_id,
        lower(nullif(trim(language), '')) as lang_hint,
        replies_count,
        reblogs_count,
        favourites_count,
        matched_query,
        fetched_at
    from source
)

select * from renamed
