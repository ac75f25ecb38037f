with source as (
    {{ select_source('raw', 'web_comments', {
        'comment_id': 'string', 'page_url': 'string', 'parent_id': 'string', 'position': 'bigint',
        'author': 'string', 'published_at': 'timestamptz', 'text': 'string',
        'content_hash': 'string', 'fetched_at': 'timestamptz'
    }) }}
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
