with source as (
    {{ select_source('raw', 'import_posts') }}
),

renamed as (
    select
        post_id,
        origin,
        platform,
        original_id,
        nullif(trim(author), '') as author_handle,
        published_at,
        nullif(trim(title), '') as title,
        nullif(trim(text), '') as body,
        url,
        parent_id as parent_original_id,
        thread_id as thread_original_id,
        lower(nullif(trim(lang), '')) as lang_hint,
        fetched_at
    from source
)

select * from renamed
