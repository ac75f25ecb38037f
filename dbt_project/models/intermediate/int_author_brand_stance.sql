{{ config(
    materialized='incremental',
    unique_key='author_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook=[
        "{{ drop_rows_older_than_inputs(ref('dim_authors'), 'input.author_id = built.author_id') }}",
        "{{ drop_rows_missing_from(ref('dim_authors'), 'author_id') }}",
    ],
    meta={'test_newest_rows': 'refreshed_at'}
) }}

{#- Per brand and author: how often and how strongly they speak for or against the brand,
    how much engagement they draw, their trust score (dim_authors), and their focus: the share
    of all their brand mentions that are about this brand. Advocates and detractors are voices
    dedicated to a brand; an ordinary customer spreads their talk over the market, so focus
    tells them apart even when the sentiment model misreads some of a fan's mentions.
    A table (mart_advocates, mart_detractors and its tests read it). Incremental: a build
    rewrites every row of the authors dim_authors rewrote since this table's newest refreshed_at
    (dim_authors rewrites an author whose posts or brand mentions changed, so whatever a row here
    is computed from); the post-hooks delete the rows of an author left without any (older than
    the author's dim_authors row) or gone from dim_authors. -#}

{%- set incremental = is_incremental() and built_has_columns(this, ['refreshed_at']) %}

with authors as (
    select author_id, author_name, trust_score from {{ ref('dim_authors') }}
    {%- if incremental %}
    where refreshed_at > {{ own_watermark() }}
    {%- endif %}
),

brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    where is_canonical and author_id is not null
    {%- if incremental %}
      and author_id in (select author_id from authors)
    {%- endif %}
),

posts as (
    select mention_id, replies_received, points from {{ ref('int_author_posts') }}
    {%- if incremental %}
    where author_id in (select author_id from authors)
    {%- endif %}
),

{#- how much of each author's brand talk goes to each brand -#}
author_totals as (
    select author_id, count(*) as brand_mentions_all_brands
    from brand_mentions
    group by author_id
),

stance as (
    select
        brand_mentions.brand,
        brand_mentions.author_id,
        count(*) as mentions,
        cast(sum(case when brand_mentions.sentiment_label = 'positive' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as positive_mentions,
        cast(sum(case when brand_mentions.sentiment_label = 'negative' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as negative_mentions,
        avg(brand_mentions.sentiment_score) as avg_sentiment_score,
        cast(sum(coalesce(posts.replies_received, 0) + coalesce(posts.points, 0)) as {{ dbt.type_bigint() }}) as engagement_received,
        max(brand_mentions.published_at) as last_mentioned_at
    from brand_mentions
    left join posts on brand_mentions.mention_id = posts.mention_id
    group by brand_mentions.brand, brand_mentions.author_id
),

final as (
    select
        stance.brand,
        stance.author_id,
        authors.author_name,
        authors.trust_score,
        stance.mentions,
        stance.positive_mentions,
        stance.negative_mentions,
        cast(stance.positive_mentions as {{ ecoute_type('float') }}) / stance.mentions
            as positive_share,
        cast(stance.negative_mentions as {{ ecoute_type('float') }}) / stance.mentions
            as negative_share,
        case when stance.positive_mentions + stance.negative_mentions > 0
            then cast(stance.positive_mentions as {{ ecoute_type('float') }})
                / (stance.positive_mentions + stance.negative_mentions)
        end as positive_polar_share,
        stance.avg_sentiment_score,
        cast(stance.mentions as {{ ecoute_type('float') }}) / author_totals.brand_mentions_all_brands
            as brand_focus,
        stance.engagement_received,
        stance.last_mentioned_at,
        {{ dbt.current_timestamp() }} as refreshed_at
    from stance
    inner join authors on stance.author_id = authors.author_id
    inner join author_totals on stance.author_id = author_totals.author_id
)

select * from final
