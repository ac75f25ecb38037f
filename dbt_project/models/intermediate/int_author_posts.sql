{{ config(materialized='table') }}

{#- One row per authored mention with the behavioural signals the community marts use:
    thread role, replies drawn from others, links (and the domain of the first), promotional
    wording, copy-paste. A table: five marts and two views read it, each joining mentions to
    their replies and threads again as a view. -#}

with mentions as (
    select * from {{ ref('int_mentions_deduplicated') }}
    where author_id is not null
),

replies_received as (
    select
        parents.mention_id,
        count(*) as replies_received
    from mentions as replies
    inner join mentions as parents on replies.parent_mention_id = parents.mention_id
    where replies.author_id <> parents.author_id
    group by parents.mention_id
),

thread_replies as (
    select
        roots.mention_id,
        count(*) as thread_replies
    from mentions as posts
    inner join mentions as roots on posts.thread_id = roots.mention_id
    where posts.mention_id <> roots.mention_id
      and posts.author_id <> roots.author_id
    group by roots.mention_id
),

hackernews_points as (
    select
        {{ dbt.concat(["'hn:'", 'item_id']) }} as mention_id,
        coalesce(points, 0) as points
    from {{ ref('stg_hackernews__items') }}
),

final as (
    select
        mentions.mention_id,
        mentions.author_id,
        mentions.author_name,
        mentions.source,
        mentions.kind,
        mentions.thread_id,
        mentions.story_id,
        mentions.published_at,
        {{ utc_date('mentions.published_at') }} as published_date,
        mentions.kind in ('article', 'story', 'post') as is_thread_start,
        mentions.kind in ('comment', 'reply') as is_reply,
        coalesce(replies_received.replies_received, 0) as replies_received,
        coalesce(thread_replies.thread_replies, 0) as thread_replies,
        coalesce(hackernews_points.points, 0) as points,
        {{ regex_matches('mentions.text', var('link_pattern')) }} as has_link,
        {{ first_link_domain('mentions.text') }} as link_domain,
        {{ regex_matches('mentions.text', var('promo_pattern')) }} as is_promotional,
        not mentions.is_canonical as is_copy
    from mentions
    left join replies_received on mentions.mention_id = replies_received.mention_id
    left join thread_replies on mentions.mention_id = thread_replies.mention_id
    left join hackernews_points on mentions.mention_id = hackernews_points.mention_id
)

select * from final
