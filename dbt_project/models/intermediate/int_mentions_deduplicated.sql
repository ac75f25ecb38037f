{{ config(
    materialized='incremental',
    unique_key='mention_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns'
) }}

{#- Syndicated copies: the same story published on several URLs is counted once downstream.
    Exact copies share their normalised text; near copies share its letters once punctuation,
    digits and spaces are gone. The first published mention of a group wins.
    Incremental: the mentions int_mentions wrote since this table's newest `_dlt_load_id` (and
    those of an author whose pseudonym changed: int_mentions rewrites them without a newer load)
    have their keys computed again; every group one of them joins or leaves (its near_key now or
    as built) is ranked again whole, its other members taken as built (their text, and so their
    keys, did not change), so a new earlier copy demotes the older original. A mention never
    leaves int_mentions but through erasure or retention, which drop this table too
    (core/privacy.py): the next build rebuilds it whole. -#}

{%- set incremental = is_incremental() and built_has_columns(this, ['_dlt_load_id', 'near_key']) %}
{#- (not a dependency of the model: its unit test, never incremental, needs no pseudonyms) #}
{%- set pseudonyms = pseudonyms_relation() if incremental else none %}

with mentions as (
    select * from {{ ref('int_mentions') }}
),

changed as (
    select *
    from mentions
    {%- if incremental %}
    where _dlt_load_id > {{ load_watermark(this) }}
    {%- if pseudonyms is not none %}
        or mention_id in ({{ mentions_of_stale_authors(this, pseudonyms) }})
    {%- endif %}
    {%- endif %}
),

keyed_changed as (
    select
        mention_id,
        source,
        site,
        kind,
        url,
        title,
        text,
        author_id,
        author_name,
        published_at,
        thread_id,
        parent_mention_id,
        content_hash,
        lang_hint,
        _dlt_load_id,
        case
            when length(coalesce(text, '')) >= {{ var('dedup_min_chars') }}
                then {{ dbt.hash(normalized_text('text')) }}
            else mention_id
        end as exact_key,
        case
            when length(coalesce(text, '')) >= {{ var('dedup_min_chars') }}
                then {{ dbt.hash(near_duplicate_text('text')) }}
            else mention_id
        end as near_key
    from changed
),

{%- if incremental %}

touched_groups as (
    select near_key from keyed_changed
    union
    select built.near_key
    from {{ this }} as built
    where built.mention_id in (select mention_id from changed)
),

keyed as (
    select * from keyed_changed
    union all
    select
        mention_id,
        source,
        site,
        kind,
        url,
        title,
        text,
        author_id,
        author_name,
        published_at,
        thread_id,
        parent_mention_id,
        content_hash,
        lang_hint,
        _dlt_load_id,
        exact_key,
        near_key
    from {{ this }} as built
    where built.near_key in (select near_key from touched_groups)
        and built.mention_id not in (select mention_id from changed)
),
{%- else %}

keyed as (
    select * from keyed_changed
),
{%- endif %}

ranked as (
    select
        *,
        row_number() over (
            partition by near_key
            order by published_at nulls last, mention_id
        ) as copy_rank,
        first_value(mention_id) over (
            partition by near_key
            order by published_at nulls last, mention_id
            rows between unbounded preceding and unbounded following
        ) as story_id,
        first_value(exact_key) over (
            partition by near_key
            order by published_at nulls last, mention_id
            rows between unbounded preceding and unbounded following
        ) as story_exact_key
    from keyed
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
        author_id,
        author_name,
        published_at,
        thread_id,
        parent_mention_id,
        content_hash,
        lang_hint,
        exact_key,
        near_key,
        story_id,
        copy_rank = 1 as is_canonical,
        case
            when copy_rank = 1 then 'original'
            when exact_key = story_exact_key then 'exact_copy'
            else 'near_copy'
        end as copy_kind,
        _dlt_load_id
    from ranked
)

select * from final
