{{ config(
    materialized='incremental',
    unique_key='mention_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns'
) }}

{#- Incremental: a run rewrites only the story groups with a mention (re)enriched since the last
    run, so a late-arriving earlier copy still moves is_canonical within its group. -#}

with mentions as (
    select * from {{ ref('int_mentions_enriched') }}
),

{% if is_incremental() %}
touched_groups as (
    select distinct near_key
    from mentions
    where enriched_at > (select max(enriched_at) from {{ this }})
       or mention_id not in (select mention_id from {{ this }})
),

selected as (
    select mentions.*
    from mentions
    inner join touched_groups on mentions.near_key = touched_groups.near_key
),
{% else %}
selected as (
    select * from mentions
),
{% endif %}

final as (
    select
        mention_id,
        story_id,
        is_canonical,
        copy_kind,
        near_key,
        source,
        site,
        kind,
        url,
        title,
        text,
        author_id,
        author_name,
        published_at,
        {{ utc_date('published_at') }} as published_date,
        thread_id,
        parent_mention_id,
        lang,
        lang_confidence,
        sentiment_label,
        sentiment_score,
        sentiment_confidence,
        is_sentiment_scored,
        sentiment_backend,
        n_brands,
        enrichment_version,
        is_enrichment_current,
        enriched_at,
        {{ dbt.current_timestamp() }} as refreshed_at
    from selected
)

select * from final
