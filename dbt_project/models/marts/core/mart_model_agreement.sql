{#- Model vs human per language, source, brand, ISO week and field: corrections and unanimous
    double codes are gold; the model's value is what enrichment said before any correction (read
    from enrichment, not int_brand_mentions, which drops "not about this brand" rows). -#}

with mentions as (
    select * from {{ ref('int_mentions_enriched') }}
),

brand_matches as (
    select
        *,
        row_number() over (
            partition by enrichment_row_id, brand
            order by matched_alias, match_rule
        ) as match_rank
    from {{ ref('stg_enrichment__mention_brands') }}
),

corrections as (
    select * from {{ ref('int_corrections_latest') }}
    where field in ('sentiment', 'relevance')
),

answers as (
    select * from {{ ref('stg_corrections__coding_answers') }}
    where field in ('sentiment', 'relevance')
),

{#- each coder's latest answer per mention, brand and field -#}
latest_answers as (
    select
        *,
        row_number() over (
            partition by mention_id, brand, field, coder
            order by coded_at desc, event_id desc
        ) as answer_rank
    from answers
),

coded as (
    select
        mention_id,
        brand,
        field,
        min(coded_value) as gold_value,
        count(distinct coder) as coders
    from latest_answers
    where answer_rank = 1
    group by mention_id, brand, field
    having count(distinct coded_value) = 1
),

gold as (
    select mention_id, brand, field, corrected_value as gold_value, 'correction' as origin
    from corrections
    union all
    select coded.mention_id, coded.brand, coded.field, coded.gold_value, 'coding' as origin
    from coded
    left join corrections
        on coded.mention_id = corrections.mention_id
        and coded.brand = corrections.brand
        and coded.field = corrections.field
    where corrections.mention_id is null
),

compared as (
    select
        {{ week_start(utc_date('mentions.published_at')) }} as week_start,
        coalesce(mentions.lang, 'und') as lang,
        mentions.source,
        gold.brand,
        gold.field,
        gold.origin,
        case
            when gold.field = 'relevance' and brand_matches.brand is null then 'not_about'
            when gold.field = 'relevance' then 'about'
            else coalesce(brand_matches.brand_sentiment_label, mentions.sentiment_label)
        end as model_value,
        gold.gold_value
    from gold
    inner join mentions on gold.mention_id = mentions.mention_id
    left join brand_matches
        on mentions.enrichment_row_id = brand_matches.enrichment_row_id
        and gold.brand = brand_matches.brand
        and brand_matches.match_rank = 1
    where gold.field = 'relevance' or brand_matches.brand is not null
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            dbt.cast('week_start', api.Column.translate_type('string')), "'|'", 'lang', "'|'",
            'source', "'|'", 'brand', "'|'", 'field'])) }} as agreement_id,
        week_start,
        lang,
        source,
        brand,
        field,
        count(*) as gold_items,
        sum(case when model_value = gold_value then 1 else 0 end) as agreed_items,
        cast(sum(case when model_value = gold_value then 1 else 0 end) as {{ dbt.type_float() }})
            / count(*) as agreement_rate,
        sum(case when origin = 'correction' then 1 else 0 end) as corrected_items,
        sum(case when origin = 'coding' then 1 else 0 end) as coded_items
    from compared
    group by week_start, lang, source, brand, field
)

select * from final
