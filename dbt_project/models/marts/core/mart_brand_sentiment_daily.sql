{{ config(
    materialized='incremental',
    unique_key='day',
    incremental_strategy='delete+insert',
    tags=['day_partition'],
    pre_hook="{{ serialise_model_writes() }}",
    on_schema_change='append_new_columns',
    post_hook="{{ drop_days_without_rows('day', ref('fct_brand_mentions')) }}"
) }}

{#- Brand x UTC day sentiment over unique mentions (canonical rows only). Incremental: the days
    touched by rows fct_brand_mentions rewrote are recomputed whole, for every brand, and so is
    a day that lost a row no rewritten row replaced there (a mention re-dated, or a brand dropped
    by re-enrichment): its count no longer matches. A day left with no canonical row at all has
    nothing to replace it: the post-hook deletes it. -#}

with brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    where is_canonical
),

{% if is_incremental() %}
touched_days as (
    select published_date as day
    from {{ ref('fct_brand_mentions') }}
    where refreshed_at > {{ own_watermark('last_refreshed_at') }}
    union
    select built.day
    from {{ this }} as built
    left join (
        select brand, published_date, count(*) as mentions
        from brand_mentions
        group by brand, published_date
    ) as current_counts
        on built.brand = current_counts.brand and built.day = current_counts.published_date
    where current_counts.mentions is null or current_counts.mentions <> built.mentions
),

selected as (
    select brand_mentions.*
    from brand_mentions
    inner join touched_days on brand_mentions.published_date = touched_days.day
),
{% else %}
selected as (
    select * from brand_mentions
),
{% endif %}

counted as (
    select
        brand,
        published_date as day,
        count(*) as mentions,
        cast(sum(case when sentiment_label = 'positive' then 1 else 0 end) as {{ dbt.type_bigint() }}) as positive_mentions,
        cast(sum(case when sentiment_label = 'negative' then 1 else 0 end) as {{ dbt.type_bigint() }}) as negative_mentions,
        cast(sum(case when sentiment_label = 'neutral' then 1 else 0 end) as {{ dbt.type_bigint() }}) as neutral_mentions,
        avg(sentiment_score) as avg_sentiment_score,
        max(refreshed_at) as last_refreshed_at
    from selected
    where published_date is not null
    group by brand, published_date
),

final as (
    select
        brand,
        day,
        mentions,
        positive_mentions,
        negative_mentions,
        neutral_mentions,
        cast(negative_mentions as {{ ecoute_type('float') }}) / mentions as negative_share,
        cast(positive_mentions - negative_mentions as {{ ecoute_type('float') }}) / mentions
            as net_sentiment,
        avg_sentiment_score,
        last_refreshed_at
    from counted
)

select * from final
