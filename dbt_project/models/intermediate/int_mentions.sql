{{ config(
    materialized='incremental',
    unique_key='mention_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    meta={'test_newest_rows': '_dlt_load_id'}
) }}

{#- Every collected post as one row with a stable mention_id (contract: ARCHITECTURE.md; the
    API, feed and import sources arrive through int_social_mentions).
    The Python enrichment step reads this table, so it must not depend on enrichment.
    Incremental: each row records the newest raw load its build had seen (`_dlt_load_id`); a run
    rewrites the rows of raw rows loaded since, the rows that take a title, site, thread or parent
    from one of those, and the rows of an author whose pseudonym changed. Erasure and retention
    delete their rows here themselves (core/privacy.py). -#}

{%- set raw_posts = {
    'web_pages': 'url', 'web_comments': 'comment_id', 'hackernews_items': 'object_id',
    'mastodon_posts': 'uri', 'bluesky_posts': 'uri', 'reddit_posts': 'name',
    'feed_entries': 'entry_key', 'import_posts': 'post_id'} %}

with pages as (
    select * from {{ ref('stg_web__pages') }}
),

comments as (
    select * from {{ ref('stg_web__comments') }}
),

hackernews_items as (
    select * from {{ ref('stg_hackernews__items') }}
),

social as (
    select * from {{ ref('int_social_mentions') }}
),

{#- read for their thread links by an incremental run -#}
mastodon_posts as (
    select * from {{ ref('stg_mastodon__posts') }}
),

import_posts as (
    select * from {{ ref('stg_import__posts') }}
),

web_articles as (
    select
        {{ dbt.concat(["'web:'", 'page_url']) }} as mention_id,
        'web' as source,
        site,
        'article' as kind,
        page_url as url,
        title,
        body as text,
        author_name,
        published_at,
        {{ dbt.concat(["'web:'", 'page_url']) }} as thread_id,
        cast(null as {{ dbt.type_string() }}) as parent_mention_id,
        content_hash,
        lang_hint
    from pages
),

web_comments as (
    select
        {{ dbt.concat(["'web:'", 'comments.comment_id']) }} as mention_id,
        'web' as source,
        pages.site,
        'comment' as kind,
        comments.comment_id as url,
        pages.title,
        comments.body as text,
        comments.author_name,
        comments.published_at,
        {{ dbt.concat(["'web:'", 'comments.page_url']) }} as thread_id,
        {{ dbt.concat(["'web:'", 'coalesce(comments.parent_comment_id, comments.page_url)']) }}
            as parent_mention_id,
        comments.content_hash,
        pages.lang_hint
    from comments
    left join pages on comments.page_url = pages.page_url
),

hackernews_stories as (
    select
        item_id,
        title
    from hackernews_items
    where item_type = 'story'
),

hackernews_mentions as (
    select
        {{ dbt.concat(["'hn:'", 'items.item_id']) }} as mention_id,
        'hackernews' as source,
        'news.ycombinator.com' as site,
        case when items.item_type = 'story' then 'story' else 'reply' end as kind,
        {{ dbt.concat(["'" ~ var('hackernews_item_url') ~ "'", 'items.item_id']) }} as url,
        coalesce(items.title, stories.title) as title,
        -- a story's words are its title (and its text for Ask/Show HN)
        case
            when items.item_type = 'story' and items.body is not null
                then {{ dbt.concat(['items.title', 'chr(10)', 'chr(10)', 'items.body']) }}
            when items.item_type = 'story' then items.title
            else items.body
        end as text,
        items.author_name,
        items.published_at,
        {{ dbt.concat(["'hn:'", 'coalesce(items.story_item_id, items.item_id)']) }} as thread_id,
        case
            when items.item_type <> 'story'
                then {{ dbt.concat(["'hn:'", 'coalesce(items.parent_item_id, items.story_item_id)']) }}
        end as parent_mention_id,
        cast(null as {{ dbt.type_string() }}) as content_hash,
        cast(null as {{ dbt.type_string() }}) as lang_hint
    from hackernews_items as items
    left join hackernews_stories as stories on items.story_item_id = stories.item_id
),

unioned as (
    select * from web_articles
    union all
    select * from web_comments
    union all
    select * from hackernews_mentions
    union all
    select
        mention_id, source, site, kind, url, title, text, author_name, published_at, thread_id,
        parent_mention_id, cast(null as {{ dbt.type_string() }}) as content_hash, lang_hint
    from social
),

{%- set pseudonyms = source('privacy', 'author_pseudonyms') -%}
{%- set private = execute and load_relation(pseudonyms) is not none %}

{#- Privacy: with the pseudonym table (written before dbt), every handle becomes what it maps to,
    and a handle it does not list becomes null, so a clear handle never passes this model. #}
authors as (
    select
        unioned.*,
        {% if private -%}
        pseudonyms.pseudonym as shown_name
        {%- else -%}
        unioned.author_name as shown_name
        {%- endif %}
    from unioned
    {% if private -%}
    left join {{ pseudonyms }} as pseudonyms
        on pseudonyms.author_key = {{ dbt.concat(['unioned.source', "':'", fold_case('unioned.author_name')]) }}
    {%- endif %}
),

final as (
    select
        mention_id,
        source,
        site,
        kind,
        url,
        title,
        text,
        case
            when shown_name is not null
                then {{ dbt.concat(['source', "':'", fold_case('shown_name')]) }}
        end as author_id,
        shown_name as author_name,
        published_at,
        thread_id,
        parent_mention_id,
        -- only web rows carry a hash: hash the text of the others so enrichment still sees edits
        coalesce(content_hash, {{ dbt.hash("coalesce(text, '')") }}) as content_hash,
        lang_hint,
        {{ newest_raw_load(raw_posts.keys() | list) }} as _dlt_load_id
    from authors
)
{%- if is_incremental() %}
{#- a table built before it recorded loads: every raw row counts as loaded since #}
{%- set built_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list %}
{%- if '_dlt_load_id' in built_columns %}
{%- set watermark = "(select coalesce(max(_dlt_load_id), '') from " ~ this ~ ")" %}
{%- else %}
{%- set watermark = "''" %}
{%- endif %},

{%- for table_name, key in raw_posts.items() %}

loaded_{{ table_name }} as (
    {{ raw_keys_loaded_after(table_name, key, watermark) }}
),
{%- endfor %}

loaded_mastodon as (
    select instance, status_id
    from mastodon_posts
    where uri in (select loaded_key from loaded_mastodon_posts)
),

loaded_imports as (
    select coalesce(platform, origin) as platform, original_id
    from import_posts
    where post_id in (select loaded_key from loaded_import_posts)
),

touched as (
    select {{ dbt.concat(["'web:'", 'loaded_key']) }} as mention_id from loaded_web_pages
    union all
    select {{ dbt.concat(["'web:'", 'comment_id']) }} from comments
    where comment_id in (select loaded_key from loaded_web_comments)
        or page_url in (select loaded_key from loaded_web_pages)
    union all
    select {{ dbt.concat(["'hn:'", 'item_id']) }} from hackernews_items
    where item_id in (select loaded_key from loaded_hackernews_items)
        or story_item_id in (select loaded_key from loaded_hackernews_items)
    union all
    select {{ dbt.concat(["'mastodon:'", 'loaded_key']) }} from loaded_mastodon_posts
    union all
    select {{ dbt.concat(["'mastodon:'", 'posts.uri']) }}
    from mastodon_posts as posts
    inner join loaded_mastodon as loaded
        on posts.instance = loaded.instance and posts.in_reply_to_status_id = loaded.status_id
    union all
    select {{ dbt.concat(["'mastodon:'", 'posts.uri']) }}
    from mastodon_posts as posts
    inner join loaded_mastodon as loaded
        on posts.instance = loaded.instance and posts.thread_status_id = loaded.status_id
    union all
    select {{ dbt.concat(["'bluesky:'", 'loaded_key']) }} from loaded_bluesky_posts
    union all
    select {{ dbt.concat(["'reddit:'", 'loaded_key']) }} from loaded_reddit_posts
    union all
    select {{ dbt.concat(["'feed:'", 'loaded_key']) }} from loaded_feed_entries
    union all
    select {{ dbt.concat(["'import:'", 'loaded_key']) }} from loaded_import_posts
    union all
    select {{ dbt.concat(["'import:'", 'posts.post_id']) }}
    from import_posts as posts
    inner join loaded_imports as loaded
        on coalesce(posts.platform, posts.origin) = loaded.platform
        and posts.parent_original_id = loaded.original_id
    union all
    select {{ dbt.concat(["'import:'", 'posts.post_id']) }}
    from import_posts as posts
    inner join loaded_imports as loaded
        on coalesce(posts.platform, posts.origin) = loaded.platform
        and posts.thread_original_id = loaded.original_id
    {%- if private %}
    union all
    {#- an author_id no pseudonym gives any more: the pseudonyms changed (key, public accounts) #}
    {{ mentions_of_stale_authors(this, pseudonyms) }}
    {%- endif %}
)

select * from final
where mention_id in (select mention_id from touched)
{%- else %}

select * from final
{%- endif %}
