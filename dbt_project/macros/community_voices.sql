{#- The body of mart_advocates (stance 'positive') and mart_detractors (stance 'negative'): the two
    marts are mirror images, so one query serves both. Per brand: the trusted voices dedicated to
    the brand who take that stance: trust_score >= var advocate_min_trust, at least
    advocate_min_mentions unique mentions with that stance, more of them than of the opposite one,
    and at least advocate_min_focus of all their brand talk about this brand. Ranked by
    stance_score (stance mentions x trust x log of the engagement they draw), with their three
    most positive (advocates) or most negative (detractors) mentions. -#}
{% macro community_voices(stance) -%}
{%- if stance == 'positive' -%}
    {%- set own, other, best_order = 'positive', 'negative', 'desc' -%}
{%- elif stance == 'negative' -%}
    {%- set own, other, best_order = 'negative', 'positive', 'asc' -%}
{%- else -%}
    {{ exceptions.raise_compiler_error("community_voices: stance must be 'positive' or 'negative', got '" ~ stance ~ "'") }}
{%- endif -%}

with stance as (
    select * from {{ ref('int_author_brand_stance') }}
),

brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    where is_canonical and sentiment_label = '{{ own }}'
),

selected as (
    select
        *,
        {{ own }}_mentions * trust_score * ln(2 + engagement_received) as stance_score
    from stance
    where trust_score >= {{ var('advocate_min_trust') }}
      and {{ own }}_mentions >= {{ var('advocate_min_mentions') }}
      and {{ own }}_mentions > {{ other }}_mentions
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
            order by brand_mentions.sentiment_score {{ best_order }}, brand_mentions.published_at desc
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
        selected.{{ own }}_share,
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
{%- endmacro %}
