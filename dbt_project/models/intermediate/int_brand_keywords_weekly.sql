{{ config(
    materialized='incremental',
    unique_key=['brand', 'period_start'],
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="{{ drop_brand_weeks_without_mentions() }}",
    meta={'test_newest_rows': 'refreshed_at'}
) }}

{#- Per brand, ISO week and key phrase: the unique brand mentions using the phrase that week and
    the example mention mart_top_keywords shows (strongest sentiment first). The brand's own name
    and the alias that matched say nothing new about it: left out.
    Incremental: a build counts again whole every brand-week with a brand mention fct_brand_mentions
    rewrote since (new, re-enriched, demoted, re-dated: it rewrites every brand row of a mention
    fct_mentions rewrote) or whose unique mentions no longer number what this table counted (one
    left it); a brand-week left without any is deleted by the post-hook. Erasure, retention and
    corrections rebuild fct_brand_mentions whole, so every brand-week is counted again. -#}

{%- set incremental = is_incremental()
    and built_has_columns(this, ['period_mentions', 'mentions_refreshed_at', 'refreshed_at']) %}

with brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    where is_canonical and published_date is not null
),

period_volume as (
    select
        brand,
        {{ week_start('published_date') }} as period_start,
        count(*) as period_mentions
    from brand_mentions
    group by brand, {{ week_start('published_date') }}
),

{%- if incremental %}

touched_weeks as (
    select distinct brand, {{ week_start('published_date') }} as period_start
    from {{ ref('fct_brand_mentions') }}
    where refreshed_at > {{ own_watermark('mentions_refreshed_at') }}
      and published_date is not null
    union
    select built.brand, built.period_start
    from (select distinct brand, period_start, period_mentions from {{ this }}) as built
    left join period_volume
        on built.brand = period_volume.brand and built.period_start = period_volume.period_start
    where period_volume.period_mentions is null
       or period_volume.period_mentions <> built.period_mentions
),

selected as (
    select brand_mentions.*
    from brand_mentions
    inner join touched_weeks
        on brand_mentions.brand = touched_weeks.brand
        and {{ week_start('brand_mentions.published_date') }} = touched_weeks.period_start
),
{%- else %}

selected as (
    select * from brand_mentions
),
{%- endif %}

enrichment as (
    select mention_id, enrichment_row_id from {{ ref('stg_enrichment__mention_enrichment') }}
),

keywords as (
    select distinct enrichment_row_id, keyword
    from {{ ref('stg_enrichment__mention_keywords') }}
    where keyword is not null and keyword <> ''
),

brand_keywords as (
    select
        selected.brand,
        {{ week_start('selected.published_date') }} as period_start,
        selected.mention_id,
        selected.url,
        selected.title,
        selected.sentiment_score,
        keywords.keyword
    from selected
    inner join enrichment on selected.mention_id = enrichment.mention_id
    inner join keywords on enrichment.enrichment_row_id = keywords.enrichment_row_id
    -- the brand's own name says nothing new about it
    where keywords.keyword <> {{ fold_case('selected.brand') }}
      and keywords.keyword <> {{ fold_case("coalesce(selected.matched_alias, '')") }}
),

examples as (
    select
        brand,
        period_start,
        keyword,
        mention_id as example_mention_id,
        url as example_url,
        title as example_title,
        row_number() over (
            partition by brand, period_start, keyword
            order by abs(coalesce(sentiment_score, 0)) desc, mention_id
        ) as example_rank,
        count(*) over (partition by brand, period_start, keyword) as keyword_mentions
    from brand_keywords
),

final as (
    select
        examples.brand,
        examples.period_start,
        examples.keyword,
        examples.keyword_mentions,
        period_volume.period_mentions,
        examples.example_mention_id,
        examples.example_url,
        examples.example_title,
        (select max(refreshed_at) from {{ ref('fct_brand_mentions') }}) as mentions_refreshed_at,
        {{ dbt.current_timestamp() }} as refreshed_at
    from examples
    inner join period_volume
        on examples.brand = period_volume.brand
        and examples.period_start = period_volume.period_start
    where examples.example_rank = 1
)

select * from final
