with source as (
    {{ select_source('raw', 'mastodon_posts', {'uri': 'string', 'instance': 'string', 'status_id': 'string', 'author': 'string', 'author_name': 'string', 'created_at': 'timestamptz', 'title': 'string', 'text': 'string', 'spoiler_text': 'string', 'url': 'string', 'in_reply_to_id': 'string', 'language': 'string', 'replies_count': 'bigint', 'reblogs_count': 'bigint', 'favourites_count': 'bigint', 'matched_query': 'string', 'fetched_at': 'timestamptz'}) }}
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
        lower(nullif(trim(language), '')) as lang_hint,
        replies_count,
        reblogs_count,
        favourites_count,
        matched_query,
        fetched_at
    from source
)

select * from renamed
