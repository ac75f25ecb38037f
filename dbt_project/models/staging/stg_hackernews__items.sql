with source as (
    {{ select_source('raw', 'hackernews_items') }}
),

renamed as (
    select
        object_id as item_id,
        lower(item_type) as item_type,
        nullif(trim(title), '') as title,
        nullif(trim(text), '') as body,
        nullif(trim(url), '') as linked_url,
        nullif(trim(author), '') as author_name,
        created_at as published_at,
        parent_id as parent_item_id,
        story_id as story_item_id,
        points,
        num_comments,
        matched_query,
        fetched_at
    from source
)

select * from renamed
