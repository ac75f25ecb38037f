{#- One row per story: exact and near-duplicate mentions grouped (int_mentions_deduplicated),
    so "unique stories" and "copies" can be counted apart. -#}

with mentions as (
    select * from {{ ref('int_mentions_deduplicated') }}
),

grouped as (
    select
        story_id,
        count(*) as mentions,
        cast(sum(case when copy_kind = 'exact_copy' then 1 else 0 end) as {{ dbt.type_bigint() }}) as exact_copies,
        cast(sum(case when copy_kind = 'near_copy' then 1 else 0 end) as {{ dbt.type_bigint() }}) as near_copies,
        count(distinct site) as sites,
        count(distinct source) as sources,
        count(distinct author_id) as authors,
        min(published_at) as first_published_at,
        max(published_at) as last_published_at
    from mentions
    group by story_id
),

originals as (
    select mention_id, source, site, url, title, author_id
    from mentions
    where is_canonical
),

final as (
    select
        grouped.story_id,
        originals.source,
        originals.site,
        originals.url,
        originals.title,
        originals.author_id,
        grouped.mentions,
        grouped.exact_copies,
        grouped.near_copies,
        grouped.mentions - 1 as copies,
        grouped.mentions > 1 as is_syndicated,
        grouped.sites,
        grouped.sources,
        grouped.authors,
        grouped.first_published_at,
        grouped.last_published_at
    from grouped
    inner join originals on grouped.story_id = originals.mention_id
)

select * from final
