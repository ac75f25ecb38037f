{#- Per brand, month and author: the author's community type and the rule that decided it.
    Rules, first match wins (thresholds in dbt vars typology_*):
      opportunist  promotional share >= typology_opportunist_promo_share, or at least
                   typology_opportunist_min_copies comments pasted from an earlier one
                   (syndicated articles are not copy-paste)
      creator      started a thread that drew >= typology_creator_min_replies replies from others,
                   or started >= typology_min_posts_active threads
      contributor  replied or commented on the brand, and posted >= typology_contributor_min_posts
                   times that month on any brand (regular, not one-off)
      observer     everyone else: rare, one-off, low-engagement posts -#}

with brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    where author_id is not null
),

posts as (
    select * from {{ ref('int_author_posts') }}
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
    where brand_mentions.published_date is not null
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

with_activity as (
    select
        per_author.*,
        monthly_activity.posts_in_month
    from per_author
    inner join monthly_activity
        on per_author.author_id = monthly_activity.author_id
        and per_author.period_start = monthly_activity.period_start
),

typed as (
    select
        *,
        case
            when cast(promotional_posts as {{ ecoute_type('float') }}) / posts
                >= {{ var('typology_opportunist_promo_share') }}
                then 'opportunist'
            when copied_posts >= {{ var('typology_opportunist_min_copies') }}
                then 'opportunist'
            when threads_started > 0
                and best_thread_replies >= {{ var('typology_creator_min_replies') }}
                then 'creator'
            when threads_started >= {{ var('typology_min_posts_active') }}
                then 'creator'
            when replies_posted > 0
                and posts_in_month >= {{ var('typology_contributor_min_posts') }}
                then 'contributor'
            else 'observer'
        end as author_type,
        case
            when cast(promotional_posts as {{ ecoute_type('float') }}) / posts
                >= {{ var('typology_opportunist_promo_share') }}
                then 'promotional_share >= {{ var("typology_opportunist_promo_share") }}'
            when copied_posts >= {{ var('typology_opportunist_min_copies') }}
                then 'copied_posts >= {{ var("typology_opportunist_min_copies") }}'
            when threads_started > 0
                and best_thread_replies >= {{ var('typology_creator_min_replies') }}
                then 'started a thread with >= {{ var("typology_creator_min_replies") }} replies'
            when threads_started >= {{ var('typology_min_posts_active') }}
                then 'started >= {{ var("typology_min_posts_active") }} threads'
            when replies_posted > 0
                and posts_in_month >= {{ var('typology_contributor_min_posts') }}
                then 'replied, and >= {{ var("typology_contributor_min_posts") }} posts that month'
            else 'rare or low-engagement posts'
        end as typology_rule
    from with_activity
),

final as (
    select
        brand,
        period_start,
        author_id,
        author_type,
        typology_rule,
        posts,
        posts_in_month,
        threads_started,
        best_thread_replies,
        replies_posted,
        replies_received,
        promotional_posts,
        posts_with_links,
        copied_posts
    from typed
)

select * from final
