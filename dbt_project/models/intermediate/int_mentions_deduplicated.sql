{{ config(materialized='table') }}

{#- Syndicated copies: the same story published on several URLs is counted once downstream.
    Exact copies share their normalised text; near copies share its letters once punctuation,
    digits and spaces are gone. The first published mention of a group wins.
    A table: as a view, every model and test reading it (a dozen, some several times) normalised
    every text again. -#}

with mentions as (
    select * from {{ ref('int_mentions') }}
),

keyed as (
    select
        *,
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
    from mentions
),

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
        end as copy_kind
    from ranked
)

select * from final
