{{ config(
    materialized='incremental',
    unique_key='period_start',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="{{ drop_periods_not_in(ref('int_author_behaviour')) }}",
    meta={'test_newest_rows': 'refreshed_at'}
) }}

{#- Per month and author: the community role, from behaviour over the trailing window
    (int_author_behaviour), with thresholds relative to that month's community, so the shares stay
    sensible on any project size. Rules, first match wins:
      opportunist  self-promotional share (promo wording, links to an own domain, comments
                   pasted from earlier ones) >= var typology_opportunist_promo_share
      observer     posts rarely: no more posts than the community's
                   var typology_active_quantile (the median by default)
      creator      starts threads that others answer: mostly starts (reply share below
                   var typology_contributor_min_reply_share), and the threads drew at least as many
                   distinct repliers as the community's var typology_creator_audience_quantile of
                   authors whose threads were answered
      contributor  takes part: mostly answers others, or started threads others answered
      observer     everyone else: regular posts nobody answers, answering nobody
    A table: its tests and three community marts read it (as a view each recomputed it).
    Incremental: the months int_author_behaviour rewrote since this table's newest
    `behaviour_refreshed_at` are ranked again whole (each month's thresholds are its own). -#}

{%- set float = ecoute_type('float') -%}
{%- set active_q = var('typology_active_quantile') -%}
{%- set audience_q = var('typology_creator_audience_quantile') -%}
{%- set promo_share = var('typology_opportunist_promo_share') -%}
{%- set reply_share = var('typology_contributor_min_reply_share') -%}

{%- set incremental = is_incremental() and built_has_columns(this, ['behaviour_refreshed_at']) %}

with behaviour as (
    select * from {{ ref('int_author_behaviour') }}
    {%- if incremental %}
    where period_start in (
        select period_start
        from {{ ref('int_author_behaviour') }}
        where refreshed_at > {{ own_watermark('behaviour_refreshed_at') }}
    )
    {%- endif %}
),

ranked_posts as (
    select
        period_start,
        posts,
        row_number() over (partition by period_start order by posts) as posts_rank,
        count(*) over (partition by period_start) as community_authors
    from behaviour
),

active_cut as (
    select distinct
        period_start,
        community_authors,
        {{ quantile_disc_from_rank('posts', active_q, 'posts_rank', 'community_authors', 'period_start') }}
            as rare_posts_max
    from ranked_posts
),

{#- the audience (distinct repliers) of authors whose threads others answered -#}
ranked_audience as (
    select
        period_start,
        distinct_repliers,
        row_number() over (partition by period_start order by distinct_repliers) as audience_rank,
        count(*) over (partition by period_start) as answered_authors
    from behaviour
    where answered_threads > 0
),

audience_cut as (
    select distinct
        period_start,
        {{ quantile_disc_from_rank('distinct_repliers', audience_q, 'audience_rank', 'answered_authors', 'period_start') }}
            as creator_min_repliers
    from ranked_audience
),

measured as (
    select
        behaviour.*,
        active_cut.community_authors,
        active_cut.rare_posts_max,
        audience_cut.creator_min_repliers
    from behaviour
    inner join active_cut on behaviour.period_start = active_cut.period_start
    left join audience_cut on behaviour.period_start = audience_cut.period_start
),

typed as (
    select
        *,
        case
            when self_promotional_share >= {{ promo_share }} then 'opportunist'
            when posts <= rare_posts_max then 'observer'
            when answered_threads > 0
                and reply_share < {{ reply_share }}
                and distinct_repliers >= creator_min_repliers
                then 'creator'
            when reply_share >= {{ reply_share }} or answered_threads > 0 then 'contributor'
            else 'observer'
        end as author_type,
        case
            when self_promotional_share >= {{ promo_share }}
                then 'self-promotional share >= {{ promo_share }}'
            when posts <= rare_posts_max
                then 'posts rarely (at most the community {{ active_q }} quantile)'
            when answered_threads > 0
                and reply_share < {{ reply_share }}
                and distinct_repliers >= creator_min_repliers
                then 'starts threads others answer (repliers >= community {{ audience_q }} quantile)'
            when reply_share >= {{ reply_share }} then 'mostly answers others'
            when answered_threads > 0 then 'starts threads with a small audience'
            else 'posts nobody answers, answers nobody'
        end as typology_rule
    from measured
),

final as (
    select
        period_start,
        author_id,
        author_type,
        typology_rule,
        is_full_window,
        community_authors,
        rare_posts_max,
        creator_min_repliers,
        posts,
        active_days,
        threads_started,
        answered_threads,
        thread_replies_received,
        distinct_repliers,
        replies_posted,
        reply_share,
        promotional_posts,
        own_domain_posts,
        self_promotional_posts,
        self_promotional_share,
        copied_posts,
        max(refreshed_at) over () as behaviour_refreshed_at,
        {{ dbt.current_timestamp() }} as refreshed_at
    from typed
)

select * from final
