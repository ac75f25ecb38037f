{{ config(
    materialized='incremental',
    unique_key='author_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="{{ drop_rows_missing_from(ref('int_author_posts'), 'author_id') }}",
    meta={'test_newest_rows': 'refreshed_at'}
) }}
-- depends_on: {{ ref('fct_mentions') }}

{#- One row per author per source (author_id carries the source), with activity, promotion
    signals and an auditable trust score: every component is a column in [0, 1] and the score is
    their weighted sum (weights in dbt vars trust_weight_*, summing to 1).
    Incremental: a build rewrites the authors with a post int_author_posts or a mention
    fct_mentions (so its brand rows in fct_brand_mentions) rewrote since this table's newest
    refreshed_at, those whose posts no longer add up to their row (a post moved to another
    author), and every author sharing a handle with one of them (sources_with_handle); an author
    left without posts is deleted by the post-hook. Erasure and retention drop it
    (core/privacy.py). -#}

{%- set incremental = is_incremental() and built_has_columns(this, ['refreshed_at']) %}

with
{%- if incremental %}
{# authors whose inputs changed since this table's last build #}
changed_authors as (
    select author_id, author_name
    from {{ ref('int_author_posts') }}
    where refreshed_at > {{ own_watermark() }}
    union
    select author_id, author_name
    from {{ ref('fct_mentions') }}
    where refreshed_at > {{ own_watermark() }}
      and author_id is not null
    union
    select built.author_id, built.author_name
    from {{ this }} as built
    left join (
        select author_id, count(*) as posts
        from {{ ref('int_author_posts') }}
        group by author_id
    ) as counted on built.author_id = counted.author_id
    where counted.posts is null or counted.posts <> built.posts
),

changed_handles as (
    select distinct {{ fold_case('author_name') }} as handle
    from changed_authors
    where author_name is not null
),

selected_authors as (
    select author_id from changed_authors
    union
    select author_id
    from {{ ref('int_author_posts') }}
    where {{ fold_case('author_name') }} in (select handle from changed_handles)
),
{%- endif %}

posts as (
    select * from {{ ref('int_author_posts') }}
    {%- if incremental %}
    where author_id in (select author_id from selected_authors)
    {%- endif %}
),

brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    {%- if incremental %}
    where author_id in (select author_id from selected_authors)
    {%- endif %}
),

activity as (
    select
        author_id,
        max(source) as source,
        max(author_name) as author_name,
        count(*) as posts,
        cast(sum(case when is_thread_start then 1 else 0 end) as {{ dbt.type_bigint() }}) as threads_started,
        cast(sum(case when is_reply then 1 else 0 end) as {{ dbt.type_bigint() }}) as replies_posted,
        cast(sum(replies_received) as {{ dbt.type_bigint() }}) as comments_received,
        cast(sum(points) as {{ dbt.type_bigint() }}) as points_received,
        count(distinct published_date) as active_days,
        min(published_at) as first_seen_at,
        max(published_at) as last_seen_at,
        cast(sum(case when has_link then 1 else 0 end) as {{ dbt.type_bigint() }}) as posts_with_links,
        cast(sum(case when is_promotional then 1 else 0 end) as {{ dbt.type_bigint() }}) as promotional_posts,
        cast(sum(case when is_copy then 1 else 0 end) as {{ dbt.type_bigint() }}) as copied_posts
    from posts
    group by author_id
),

{#- the same handle on several sources: a weak identity, but a real presence signal -#}
handles as (
    select
        {{ fold_case('author_name') }} as handle,
        count(distinct source) as sources_with_handle
    from posts
    group by {{ fold_case('author_name') }}
),

sentiment as (
    select
        author_id,
        cast(sum(case when sentiment_label = 'positive' then 1 else 0 end) as {{ dbt.type_bigint() }}) as positive_brand_mentions,
        cast(sum(case when sentiment_label = 'negative' then 1 else 0 end) as {{ dbt.type_bigint() }}) as negative_brand_mentions,
        avg(sentiment_score) as avg_brand_sentiment
    from brand_mentions
    where author_id is not null
    group by author_id
),

measured as (
    select
        activity.*,
        handles.sources_with_handle,
        coalesce(sentiment.positive_brand_mentions, 0) as positive_brand_mentions,
        coalesce(sentiment.negative_brand_mentions, 0) as negative_brand_mentions,
        sentiment.avg_brand_sentiment,
        cast(activity.promotional_posts as {{ ecoute_type('float') }}) / activity.posts
            as promotional_share,
        cast(activity.copied_posts as {{ ecoute_type('float') }}) / activity.posts
            as copied_share,
        {{ days_between('activity.first_seen_at', 'activity.last_seen_at') }} as tenure_days
    from activity
    left join handles on {{ fold_case('activity.author_name') }} = handles.handle
    left join sentiment on activity.author_id = sentiment.author_id
),

components as (
    select
        *,
        least(cast(tenure_days as {{ ecoute_type('float') }}) / {{ var('trust_tenure_full_days') }}, 1.0)
            as trust_tenure,
        least(cast(active_days as {{ ecoute_type('float') }}) / {{ var('trust_regularity_full_days') }}, 1.0)
            as trust_regularity,
        least(cast(sources_with_handle - 1 as {{ ecoute_type('float') }}) / 2, 1.0)
            as trust_cross_source,
        least(
            cast(comments_received + points_received as {{ ecoute_type('float') }})
            / {{ var('trust_engagement_full') }},
            1.0
        ) as trust_engagement,
        1.0 - greatest(promotional_share, copied_share) as trust_not_promotional,
        {#- stated sentiment consistent with itself: share of polar brand mentions that agree
            with the author's majority polarity; 0.5 (unknown) without any -#}
        case
            when positive_brand_mentions + negative_brand_mentions = 0 then 0.5
            else cast(greatest(positive_brand_mentions, negative_brand_mentions) as {{ ecoute_type('float') }})
                / (positive_brand_mentions + negative_brand_mentions)
        end as trust_consistency
    from measured
),

final as (
    select
        author_id,
        source,
        author_name,
        posts,
        threads_started,
        replies_posted,
        comments_received,
        points_received,
        active_days,
        first_seen_at,
        last_seen_at,
        tenure_days,
        posts_with_links,
        promotional_posts,
        promotional_share,
        copied_posts,
        copied_share,
        sources_with_handle,
        positive_brand_mentions,
        negative_brand_mentions,
        avg_brand_sentiment,
        trust_tenure,
        trust_regularity,
        trust_cross_source,
        trust_engagement,
        trust_not_promotional,
        trust_consistency,
        {{ var('trust_weight_tenure') }} * trust_tenure
        + {{ var('trust_weight_regularity') }} * trust_regularity
        + {{ var('trust_weight_cross_source') }} * trust_cross_source
        + {{ var('trust_weight_engagement') }} * trust_engagement
        + {{ var('trust_weight_not_promotional') }} * trust_not_promotional
        + {{ var('trust_weight_consistency') }} * trust_consistency as trust_score,
        {{ dbt.current_timestamp() }} as refreshed_at
    from components
)

select * from final
