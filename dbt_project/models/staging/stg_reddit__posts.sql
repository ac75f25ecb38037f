with source as (
    {{ select_source('raw', 'reddit_posts') }}
),

renamed as (
    select
        name as fullname,
        kind as item_kind,
        subreddit,
        nullif(trim(author), '') as author_handle,
        created_at as published_at,
        nullif(trim(title), '') as title,
        nullif(trim(text), '') as body,
        url,
        parent_id as parent_fullname,
        link_id as thread_fullname,
        score,
        num_comments,
        matched_query,
        fetched_at
    from source
)

select * from renamed
