{{ config(
    materialized='incremental',
    unique_key='mention_id',
    incremental_strategy='delete+insert',
    tags=['day_partition'],
    pre_hook="{{ serialise_model_writes() }}",
    on_schema_change='append_new_columns',
    meta={'test_newest_rows': 'refreshed_at'}
) }}

{#- Incremental: a run rewrites only the mentions new or (re)enriched since the last run, or whose
    row in int_mentions_deduplicated no longer says what this table holds (a copy demoted or
    promoted in its group, re-dated, moved to another group, retitled). int_mentions_deduplicated
    ranks a touched group again whole, so a late-arriving earlier copy changes the row of every
    member it demotes, and those rows are rewritten; the members whose row did not change are
    left as they are (every column here is the mention's own: nothing is computed per group).
    A run over day partitions (vars window_start and window_end: ISO days, the end excluded) also
    rewrites every mention published in that window. -#}

{#- The columns int_mentions_deduplicated gives (and is_enrichment_current, which its
    content_hash decides); the enrichment's change with enriched_at. -#}
{%- set deduplicated_columns = [
    'story_id', 'is_canonical', 'copy_kind', 'near_key', 'source', 'site', 'kind', 'url', 'title',
    'author_id', 'author_name', 'published_at', 'thread_id', 'parent_mention_id',
    'is_enrichment_current'] -%}

{%- set window_start = var('window_start', none) -%}
{%- set window_end = var('window_end', none) -%}

with mentions as (
    select * from {{ ref('int_mentions_enriched') }}
),

{% if is_incremental() %}
changed as (
    select mentions.mention_id
    from mentions
    left join {{ this }} as built on mentions.mention_id = built.mention_id
    where built.mention_id is null
       or mentions.enriched_at > (select max(enriched_at) from {{ this }})
    {%- for column in deduplicated_columns %}
       or mentions.{{ column }} is distinct from built.{{ column }}
    {%- endfor %}
    {%- if window_start is not none and window_end is not none %}
       or (
           {{ utc_date('mentions.published_at') }} >= cast('{{ window_start }}' as date)
           and {{ utc_date('mentions.published_at') }} < cast('{{ window_end }}' as date)
       )
    {%- endif %}
),

selected as (
    select mentions.*
    from mentions
    inner join changed on mentions.mention_id = changed.mention_id
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
