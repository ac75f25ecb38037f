{#- One row per alert episode x brand mention published inside it (first_day..last_day): the
    evidence behind each alert, for the app's drill-down from an alert to its mentions. Copies of
    a syndicated story stay (is_canonical tells them apart) so the page can collapse them with xN. -#}

with alerts as (
    select alert_id, brand, first_day, last_day from {{ ref('mart_alerts') }}
),

brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    where published_date is not null
),

final as (
    select
        alerts.alert_id,
        brand_mentions.brand_mention_id,
        brand_mentions.mention_id,
        brand_mentions.brand,
        brand_mentions.published_at,
        brand_mentions.published_date,
        brand_mentions.story_id,
        brand_mentions.is_canonical,
        brand_mentions.source,
        brand_mentions.kind,
        brand_mentions.lang,
        brand_mentions.author_id,
        brand_mentions.author_name,
        brand_mentions.title,
        brand_mentions.text,
        brand_mentions.url,
        brand_mentions.matched_alias,
        brand_mentions.match_rule,
        brand_mentions.sentiment_label,
        brand_mentions.sentiment_score
    from alerts
    inner join brand_mentions
        on alerts.brand = brand_mentions.brand
        and brand_mentions.published_date between alerts.first_day and alerts.last_day
)

select * from final
