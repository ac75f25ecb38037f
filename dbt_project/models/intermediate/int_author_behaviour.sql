{{ config(
    materialized='incremental',
    unique_key='period_start',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="{{ drop_periods_without_posts() }}",
    meta={'test_newest_rows': 'refreshed_at'}
) }}

{#- Per month and author: what the author did in the community over the trailing
    var typology_window_months calendar months ending with that month (up to the latest collected
    day), measured as behaviour rather than counts of post kinds: threads started and how many of
    them others answered, posts by others in those threads and how many distinct people wrote
    them, the share of the author's posts that answer someone, self-promotion (promo wording, a
    link to an own domain: one the author links in at least two posts and that others link less
    often than they do, or a comment the author pasted again: same text group as one of their
    earlier replies; a text that only collides with someone else's is not self-promotion). One
    window per month, so a role can change over time; a window is full when the collection
    reaches back to its first day (a young warehouse's first months are not). Brands' official
    accounts (ecoute.yml official_accounts) are the brand, not the community: left out.
    A table: its tests and int_author_roles read it, and as a view each of them recomputed the
    trailing windows (about 2 s each at a million mentions).
    Incremental: a build rewrites whole every month whose window holds a post int_author_posts
    rewrote since (`posts_refreshed_at`), or whose posts no longer add up to what its rows count
    (a post deleted or moved out of it); a month left without posts is deleted by the post-hook.
    When the first collected day moves, every window's is_full_window may change: all are
    rewritten. So the cost of a build with new posts is that of the months their windows cover
    (typology_window_months), not of the whole history. -#}

{%- set window_months = var('typology_window_months') | int -%}
{%- set incremental = is_incremental()
    and built_has_columns(this, ['posts_refreshed_at', 'first_collected_day', 'refreshed_at']) %}

{#- brands' official accounts answer as the brand: they are not members of the community -#}
with official_accounts as (
    select distinct handle from {{ ref('stg_enrichment__official_accounts') }}
),

posts as (
    select author_posts.*
    from {{ ref('int_author_posts') }} as author_posts
    left join official_accounts
        on {{ fold_case('author_posts.author_name') }} = official_accounts.handle
    where author_posts.published_date is not null
      and official_accounts.handle is null
),

collected as (
    select min(published_date) as first_day, max(published_date) as last_day
    from posts
),

months as (
    select distinct cast({{ dbt.date_trunc('month', 'published_date') }} as date) as period_start
    from posts
),

windows as (
    select
        months.period_start,
        least(
            cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'months.period_start')) }} as date),
            collected.last_day
        ) as window_end,
        collected.first_day
    from months
    cross join collected
),

bounded as (
    select
        period_start,
        cast({{ dbt.dateadd('month', -(window_months - 1), 'period_start') }} as date) as window_start,
        window_end,
        first_day <= cast({{ dbt.dateadd('month', -(window_months - 1), 'period_start') }} as date)
            as is_full_window
    from windows
),

{%- if incremental %}

{#- posts per month, and per window: what each built month must add up to -#}
month_posts as (
    select cast({{ dbt.date_trunc('month', 'published_date') }} as date) as month_start, count(*) as posts
    from posts
    group by cast({{ dbt.date_trunc('month', 'published_date') }} as date)
),

window_counts as (
    select bounded.period_start, sum(month_posts.posts) as posts
    from bounded
    inner join month_posts
        on month_posts.month_start between bounded.window_start and bounded.period_start
    group by bounded.period_start
),

built_counts as (
    select period_start, sum(posts) as posts, max(first_collected_day) as first_collected_day
    from {{ this }}
    group by period_start
),

touched_periods as (
    select bounded.period_start
    from bounded
    left join window_counts on bounded.period_start = window_counts.period_start
    left join built_counts on bounded.period_start = built_counts.period_start
    where built_counts.period_start is null
       or built_counts.posts <> window_counts.posts
       or built_counts.first_collected_day <> (select first_day from collected)
       or exists (
           select 1
           from posts
           where posts.refreshed_at > (select max(posts_refreshed_at) from {{ this }})
             and posts.published_date between bounded.window_start and bounded.window_end
       )
),

selected_periods as (
    select bounded.*
    from bounded
    inner join touched_periods on bounded.period_start = touched_periods.period_start
),
{%- else %}

selected_periods as (
    select * from bounded
),
{%- endif %}

window_posts as (
    select
        bounded.period_start,
        bounded.is_full_window,
        posts.*,
        {#- the author pasting their own comment again: a later reply of the same text group -#}
        case when posts.is_reply and posts.story_id is not null then row_number() over (
            partition by bounded.period_start, posts.author_id, posts.is_reply, posts.story_id
            order by posts.published_at, posts.mention_id
        ) end as repeat_number
    from selected_periods as bounded
    inner join posts
        on posts.published_date between bounded.window_start and bounded.window_end
),

{#- links per author and domain, and per domain over the whole community -#}
domain_links as (
    select
        period_start,
        author_id,
        link_domain,
        count(*) as author_links
    from window_posts
    where link_domain is not null
    group by period_start, author_id, link_domain
),

domain_totals as (
    select period_start, link_domain, sum(author_links) as all_links
    from domain_links
    group by period_start, link_domain
),

own_domains as (
    select domain_links.period_start, domain_links.author_id, domain_links.link_domain
    from domain_links
    inner join domain_totals
        on domain_links.period_start = domain_totals.period_start
        and domain_links.link_domain = domain_totals.link_domain
    where domain_links.author_links >= 2
      and 2 * domain_links.author_links > domain_totals.all_links
),

{#- the distinct other people who wrote in the threads an author started in the window -#}
repliers as (
    select
        roots.period_start,
        roots.author_id,
        count(distinct answers.author_id) as distinct_repliers
    from window_posts as roots
    inner join posts as answers
        on answers.thread_id = roots.mention_id
        and answers.mention_id <> roots.mention_id
        and answers.author_id <> roots.author_id
    where roots.is_thread_start
    group by roots.period_start, roots.author_id
),

per_author as (
    select
        window_posts.period_start,
        window_posts.author_id,
        max(case when window_posts.is_full_window then 1 else 0 end) = 1 as is_full_window,
        max(window_posts.refreshed_at) as posts_refreshed_at,
        count(*) as posts,
        count(distinct window_posts.published_date) as active_days,
        cast(sum(case when window_posts.is_thread_start then 1 else 0 end) as {{ dbt.type_bigint() }})
            as threads_started,
        cast(sum(case when window_posts.is_thread_start and window_posts.thread_replies > 0 then 1 else 0 end)
            as {{ dbt.type_bigint() }}) as answered_threads,
        cast(sum(case when window_posts.is_thread_start then window_posts.thread_replies else 0 end)
            as {{ dbt.type_bigint() }}) as thread_replies_received,
        cast(sum(case when window_posts.is_reply then 1 else 0 end) as {{ dbt.type_bigint() }})
            as replies_posted,
        cast(sum(case when window_posts.is_promotional then 1 else 0 end) as {{ dbt.type_bigint() }})
            as promotional_posts,
        cast(sum(case when own_domains.link_domain is not null then 1 else 0 end) as {{ dbt.type_bigint() }})
            as own_domain_posts,
        cast(sum(case
            when window_posts.is_promotional or own_domains.link_domain is not null then 1
            when window_posts.repeat_number > 1 then 1
            else 0 end) as {{ dbt.type_bigint() }}) as self_promotional_posts,
        cast(sum(case when window_posts.repeat_number > 1 then 1 else 0 end)
            as {{ dbt.type_bigint() }}) as copied_posts
    from window_posts
    left join own_domains
        on window_posts.period_start = own_domains.period_start
        and window_posts.author_id = own_domains.author_id
        and window_posts.link_domain = own_domains.link_domain
    group by window_posts.period_start, window_posts.author_id
),

final as (
    select
        per_author.period_start,
        per_author.author_id,
        per_author.is_full_window,
        per_author.posts,
        per_author.active_days,
        per_author.threads_started,
        per_author.answered_threads,
        per_author.thread_replies_received,
        coalesce(repliers.distinct_repliers, 0) as distinct_repliers,
        per_author.replies_posted,
        cast(per_author.replies_posted as {{ ecoute_type('float') }}) / per_author.posts as reply_share,
        per_author.promotional_posts,
        per_author.own_domain_posts,
        per_author.self_promotional_posts,
        cast(per_author.self_promotional_posts as {{ ecoute_type('float') }}) / per_author.posts
            as self_promotional_share,
        per_author.copied_posts,
        max(per_author.posts_refreshed_at) over () as posts_refreshed_at,
        (select first_day from collected) as first_collected_day,
        {{ dbt.current_timestamp() }} as refreshed_at
    from per_author
    left join repliers
        on per_author.period_start = repliers.period_start
        and per_author.author_id = repliers.author_id
)

select * from final
