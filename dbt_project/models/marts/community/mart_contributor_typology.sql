{{ config(
    materialized='incremental',
    unique_key='period_start',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="{{ drop_typology_rows_without_mentions() }}",
    meta={'test_newest_rows': 'refreshed_at'}
) }}
-- depends_on: {{ ref('fct_mentions') }}

{#- Per brand, month and author: the author's community role that month (int_author_roles:
    behaviour over the trailing var typology_window_months, thresholds relative to the community)
    and the rule that decided it, beside what the author wrote about the brand that month.
    Incremental: a build rewrites whole every month int_author_roles rewrote (any change of the
    month's posts, a post leaving it included) or with a mention fct_mentions rewrote (its brands
    and sentiment); a row whose author no longer wrote about the brand that month is deleted by
    the post-hook. Its inputs are built before it in the same run, so a row of theirs written
    after this table's newest refreshed_at is one this table has not seen. -#}

{%- set incremental = is_incremental()
    and built_has_columns(this, ['refreshed_at']) %}

with
{%- if incremental %}
touched_months as (
    select period_start
    from {{ ref('int_author_roles') }}
    where refreshed_at > {{ own_watermark() }}
    union
    select cast({{ dbt.date_trunc('month', 'published_date') }} as date)
    from {{ ref('fct_mentions') }}
    where refreshed_at > {{ own_watermark() }}
      and published_date is not null
),
{%- endif %}

brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    where author_id is not null and published_date is not null
    {%- if incremental %}
      and cast({{ dbt.date_trunc('month', 'published_date') }} as date)
        in (select period_start from touched_months)
    {%- endif %}
),

posts as (
    select * from {{ ref('int_author_posts') }}
),

roles as (
    select * from {{ ref('int_author_roles') }}
),

monthly_activity as (
    select
        author_id,
        cast({{ dbt.date_trunc('month', 'published_date') }} as date) as period_start,
        count(*) as posts_in_month
    from posts
    where published_date is not null
    group by author_id, cast({{ dbt.date_trunc('month', 'published_date') }} as date)
),

authored as (
    select
        brand_mentions.brand,
        cast({{ dbt.date_trunc('month', 'brand_mentions.published_date') }} as date) as period_start,
        brand_mentions.author_id,
        posts.is_thread_start,
        posts.is_reply,
        posts.replies_received,
        posts.thread_replies,
        posts.is_promotional,
        posts.has_link,
        posts.is_copy
    from brand_mentions
    inner join posts on brand_mentions.mention_id = posts.mention_id
),

per_author as (
    select
        brand,
        period_start,
        author_id,
        count(*) as posts,
        cast(sum(case when is_thread_start then 1 else 0 end) as {{ dbt.type_bigint() }}) as threads_started,
        max(case when is_thread_start then thread_replies else 0 end) as best_thread_replies,
        cast(sum(case when is_reply then 1 else 0 end) as {{ dbt.type_bigint() }}) as replies_posted,
        cast(sum(replies_received) as {{ dbt.type_bigint() }}) as replies_received,
        cast(sum(case when is_promotional then 1 else 0 end) as {{ dbt.type_bigint() }}) as promotional_posts,
        cast(sum(case when has_link then 1 else 0 end) as {{ dbt.type_bigint() }}) as posts_with_links,
        cast(sum(case when is_copy and is_reply then 1 else 0 end) as {{ dbt.type_bigint() }}) as copied_posts
    from authored
    group by brand, period_start, author_id
),

final as (
    select
        per_author.brand,
        per_author.period_start,
        per_author.author_id,
        roles.author_type,
        roles.typology_rule,
        per_author.posts,
        monthly_activity.posts_in_month,
        per_author.threads_started,
        per_author.best_thread_replies,
        per_author.replies_posted,
        per_author.replies_received,
        per_author.promotional_posts,
        per_author.posts_with_links,
        per_author.copied_posts,
        roles.posts as window_posts,
        roles.answered_threads as window_answered_threads,
        roles.distinct_repliers as window_distinct_repliers,
        roles.reply_share as window_reply_share,
        roles.self_promotional_share as window_self_promotional_share,
        {{ dbt.current_timestamp() }} as refreshed_at
    from per_author
    inner join monthly_activity
        on per_author.author_id = monthly_activity.author_id
        and per_author.period_start = monthly_activity.period_start
    inner join roles
        on per_author.author_id = roles.author_id
        and per_author.period_start = roles.period_start
)

select * from final
