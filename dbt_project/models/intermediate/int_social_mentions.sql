{#- Posts from the API, feed and import sources in the int_mentions shape. Threads: replies point
    to the post they answer; thread_id is the thread's root: named by the source (Bluesky, Reddit)
    or resolved by it over reply links (Mastodon, imports: `thread_status_id`,
    `thread_original_id`), falling back to the parent when the root was not collected. -#}

with mastodon as (
    select * from {{ ref('stg_mastodon__posts') }}
),

bluesky as (
    select * from {{ ref('stg_bluesky__posts') }}
),

reddit as (
    select * from {{ ref('stg_reddit__posts') }}
),

feeds as (
    select * from {{ ref('stg_feeds__entries') }}
),

imports as (
    select * from {{ ref('stg_import__posts') }}
),

mastodon_mentions as (
    select
        {{ dbt.concat(["'mastodon:'", 'posts.uri']) }} as mention_id,
        'mastodon' as source,
        posts.instance as site,
        case when posts.in_reply_to_status_id is null then 'post' else 'reply' end as kind,
        posts.url,
        posts.title,
        posts.body as text,
        posts.author_handle as author_name,
        posts.published_at,
        {{ dbt.concat(["'mastodon:'", 'coalesce(roots.uri, parents.uri, posts.uri)']) }}
            as thread_id,
        case when parents.uri is not null then {{ dbt.concat(["'mastodon:'", 'parents.uri']) }} end
            as parent_mention_id,
        posts.lang_hint
    from mastodon as posts
    left join mastodon as parents
        on posts.instance = parents.instance
        and posts.in_reply_to_status_id = parents.status_id
    left join mastodon as roots
        on posts.instance = roots.instance
        and posts.thread_status_id = roots.status_id
),

bluesky_mentions as (
    select
        {{ dbt.concat(["'bluesky:'", 'uri']) }} as mention_id,
        'bluesky' as source,
        'bsky.app' as site,
        case when parent_uri is null then 'post' else 'reply' end as kind,
        url,
        title,
        body as text,
        author_handle as author_name,
        published_at,
        {{ dbt.concat(["'bluesky:'", 'coalesce(root_uri, uri)']) }} as thread_id,
        case when parent_uri is not null then {{ dbt.concat(["'bluesky:'", 'parent_uri']) }} end
            as parent_mention_id,
        lang_hint
    from bluesky
),

reddit_mentions as (
    select
        {{ dbt.concat(["'reddit:'", 'fullname']) }} as mention_id,
        'reddit' as source,
        {{ dbt.concat(["'r/'", 'subreddit']) }} as site,
        case when item_kind = 'comment' then 'reply' else 'post' end as kind,
        url,
        title,
        -- a submission's words are its title and its self text
        case
            when item_kind = 'comment' then body
            when body is null then title
            else {{ dbt.concat(['title', 'chr(10)', 'chr(10)', 'body']) }}
        end as text,
        case when author_handle <> '[deleted]' then author_handle end as author_name,
        published_at,
        {{ dbt.concat(["'reddit:'", 'coalesce(thread_fullname, fullname)']) }} as thread_id,
        case when item_kind = 'comment' then {{ dbt.concat(["'reddit:'", 'parent_fullname']) }} end
            as parent_mention_id,
        cast(null as {{ dbt.type_string() }}) as lang_hint
    from reddit
),

feed_mentions as (
    select
        {{ dbt.concat(["'feed:'", 'entry_key']) }} as mention_id,
        'feeds' as source,
        feed_title as site,
        'article' as kind,
        url,
        title,
        coalesce(body, title) as text,
        author_handle as author_name,
        published_at,
        {{ dbt.concat(["'feed:'", 'entry_key']) }} as thread_id,
        cast(null as {{ dbt.type_string() }}) as parent_mention_id,
        lang_hint
    from feeds
),

import_mentions as (
    select
        {{ dbt.concat(["'import:'", 'posts.post_id']) }} as mention_id,
        'import' as source,
        coalesce(posts.platform, posts.origin) as site,
        case when posts.parent_original_id is null then 'post' else 'reply' end as kind,
        posts.url,
        posts.title,
        posts.body as text,
        posts.author_handle as author_name,
        posts.published_at,
        {{ dbt.concat(["'import:'", 'coalesce(roots.post_id, parents.post_id, posts.post_id)']) }}
            as thread_id,
        case when parents.post_id is not null then {{ dbt.concat(["'import:'", 'parents.post_id']) }} end
            as parent_mention_id,
        posts.lang_hint
    from imports as posts
    left join imports as parents
        on coalesce(posts.platform, posts.origin) = coalesce(parents.platform, parents.origin)
        and posts.parent_original_id = parents.original_id
    left join imports as roots
        on coalesce(posts.platform, posts.origin) = coalesce(roots.platform, roots.origin)
        and posts.thread_original_id = roots.original_id
),

unioned as (
    select * from mastodon_mentions
    union all
    select * from bluesky_mentions
    union all
    select * from reddit_mentions
    union all
    select * from feed_mentions
    union all
    select * from import_mentions
)

select * from unioned
