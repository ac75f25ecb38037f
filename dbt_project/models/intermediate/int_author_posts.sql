{{ config(
    materialized='incremental',
    unique_key='mention_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    meta={'test_newest_rows': 'refreshed_at'}
) }}

{#- One row per authored mention with the behavioural signals the community marts use:
    thread role, replies drawn from others, links (and the domain of the first), promotional
    wording, copy-paste. A table: five marts and two views read it, each joining mentions to
    their replies and threads again as a view.
    Incremental: a build rewrites the mentions int_mentions_deduplicated wrote since this table's
    newest `_dlt_load_id` (new or changed text, points), those whose row there no longer says
    what this table holds (author, thread, parent, date, group, canonical flag), and the parents
    and thread roots of any of them (now and as built), whose reply counts they change. Erasure
    and retention delete rows here too and drop int_mentions_deduplicated: when it holds fewer
    mentions than at this table's last build (`deduplicated_mentions`; nothing else removes a
    mention), every row is rewritten, so the deletions reach the counts of what is left. -#}

{%- set incremental = is_incremental()
    and built_has_columns(this, ['_dlt_load_id', 'parent_mention_id', 'deduplicated_mentions', 'refreshed_at']) %}

with mentions as (
    select * from {{ ref('int_mentions_deduplicated') }}
    where author_id is not null
),

{%- if incremental %}

{#- what a row of this table was computed from, now and as built -#}
changed as (
    select mentions.mention_id
    from mentions
    left join {{ this }} as built on mentions.mention_id = built.mention_id
    where built.mention_id is null
       or mentions._dlt_load_id > {{ load_watermark(this) }}
       or (select count(*) from {{ ref('int_mentions_deduplicated') }})
           < (select max(deduplicated_mentions) from {{ this }})
    {%- for column in ['author_id', 'author_name', 'source', 'kind', 'thread_id', 'parent_mention_id',
                       'story_id', 'published_at'] %}
       or mentions.{{ column }} is distinct from built.{{ column }}
    {%- endfor %}
       or (not mentions.is_canonical) is distinct from built.is_copy
),

touched as (
    select mention_id from changed
    union
    select mentions.parent_mention_id from mentions
    where mentions.mention_id in (select mention_id from changed)
    union
    select mentions.thread_id from mentions
    where mentions.mention_id in (select mention_id from changed)
    union
    select built.parent_mention_id from {{ this }} as built
    where built.mention_id in (select mention_id from changed)
    union
    select built.thread_id from {{ this }} as built
    where built.mention_id in (select mention_id from changed)
),

selected as (
    select * from mentions
    where mention_id in (select mention_id from touched)
),
{%- else %}

selected as (
    select * from mentions
),
{%- endif %}

replies_received as (
    select
        parents.mention_id,
        count(*) as replies_received
    from mentions as replies
    inner join selected as parents on replies.parent_mention_id = parents.mention_id
    where replies.author_id <> parents.author_id
    group by parents.mention_id
),

thread_replies as (
    select
        roots.mention_id,
        count(*) as thread_replies
    from mentions as posts
    inner join selected as roots on posts.thread_id = roots.mention_id
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
        not mentions.is_canonical as is_copy,
        mentions.parent_mention_id,
        mentions._dlt_load_id,
        (select count(*) from {{ ref('int_mentions_deduplicated') }}) as deduplicated_mentions,
        {{ dbt.current_timestamp() }} as refreshed_at
    from selected as mentions
    left join replies_received on mentions.mention_id = replies_received.mention_id
    left join thread_replies on mentions.mention_id = thread_replies.mention_id
    left join hackernews_points on mentions.mention_id = hackernews_points.mention_id
)

select * from final
