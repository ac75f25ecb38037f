{#- Per brand: the trusted voices dedicated to the brand who speak ill of it: trust_score >=
    var advocate_min_trust, at least advocate_min_mentions negative unique mentions, more negative
    than positive ones, and at least advocate_min_focus of all their brand talk about this brand
    (during an outage everyone complains; a detractor keeps coming back to the brand). Ranked by
    stance_score, with their three most negative mentions. -#}

with stance as (
    select * from {{ ref('int_author_brand_stance') }}
),

brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    where is_canonical and sentiment_label = 'negative'
),

{#- how loud the voice is: negative mentions x trust x log of the engagement they draw -#}
selected as (
    select
        *,
        negative_mentions * trust_score * ln(2 + engagement_received) as stance_score
    from stance
    where trust_score >= {{ var('advocate_min_trust') }}
      and negative_mentions >= {{ var('advocate_min_mentions') }}
      and negative_mentions > positive_mentions
      and brand_focus >= {{ var('advocate_min_focus') }}
),

best_mentions as (
    select
        brand_mentions.brand,
        brand_mentions.author_id,
        brand_mentions.mention_id,
        brand_mentions.url,
        brand_mentions.title,
        row_number() over (
            partition by brand_mentions.brand, brand_mentions.author_id
            order by brand_mentions.sentiment_score asc, brand_mentions.published_at desc
        ) as mention_rank
    from brand_mentions
    inner join selected
        on brand_mentions.brand = selected.brand and brand_mentions.author_id = selected.author_id
),

best_lists as (
    select
        brand,
        author_id,
        {{ dbt.listagg('url', "' '", 'order by mention_rank') }} as best_mention_urls
    from best_mentions
    where mention_rank <= 3
    group by brand, author_id
),

final as (
    select
        selected.brand,
        selected.author_id,
        selected.author_name,
        row_number() over (
            partition by selected.brand
            order by selected.stance_score desc, selected.author_id
        ) as author_rank,
        selected.stance_score,
        selected.trust_score,
        selected.mentions,
        selected.positive_mentions,
        selected.negative_mentions,
        selected.negative_share,
        selected.avg_sentiment_score,
        selected.brand_focus,
        selected.engagement_received,
        selected.last_mentioned_at,
        best.mention_id as best_mention_id,
        best.url as best_mention_url,
        best.title as best_mention_title,
        best_lists.best_mention_urls
    from selected
    left join best_mentions as best
        on selected.brand = best.brand and selected.author_id = best.author_id
        and best.mention_rank = 1
    left join best_lists
        on selected.brand = best_lists.brand and selected.author_id = best_lists.author_id
)

select * from final
