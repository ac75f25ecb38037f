with source as (
    {{ select_source('raw', 'web_comments') }}
),

renamed as (
    select
        comment_id,
        page_url,
        parent_id as parent_comment_id,
        position as comment_position,
        nullif(trim(author), '') as author_name,
        published_at,
        text as body,
        content_hash,
        fetched_at
    from source
)

select * from renamed
