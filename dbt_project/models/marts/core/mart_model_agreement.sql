{#- Model vs human per language, source, brand, ISO week and field: corrections and unanimous
    double codes are gold; the model's value is what enrichment said before any correction. -#}

with brand_mentions as (
    select * from {{ ref('int_brand_mentions') }}
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
        {{ week_start(utc_date('brand_mentions.published_at')) }} as week_start,
        coalesce(brand_mentions.lang, 'und') as lang,
        brand_mentions.source,
        brand_mentions.brand,
        gold.field,
        gold.origin,
        case
            when gold.field = 'sentiment' then brand_mentions.sentiment_label
            else 'about'
        end as model_value,
        gold.gold_value
    from gold
    inner join brand_mentions
        on gold.mention_id = brand_mentions.mention_id
        and gold.brand = brand_mentions.brand
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
