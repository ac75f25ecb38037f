{#- One row per alert *episode*: consecutive flagged days of one brand (a quiet gap of at most
    var alert_episode_max_gap_days inside is bridged) make one alert, from first_day to last_day.
    Daily counts weigh each thread's mentions down to at most alert_thread_daily_cap a day: one
    heated thread is a conversation, not a brand event, and its replies are not independent voices.
    A day is flagged by either signal, each against the alert_baseline_days before it (at least
    alert_min_baseline_days of history, at least alert_min_mentions weighted mentions that day):
      volume        mentions > max(median x alert_min_volume_lift,
                                   median + k x max(sqrt(median), 1.4826 x MAD))
                    the median and MAD of the baseline's daily counts are robust to single busy
                    days, sqrt(median) is the Poisson spread a quiet series cannot go below;
      negative      negative share > baseline share + max(alert_min_negative_share_increase,
                                                          k x binomial standard error of the day)
    (k = alert_k_sigma). The episode is explained by its keywords (most in excess of the baseline
    rate), authors, sources and the sentiment change against the baseline. alert_id hashes brand
    and first day only, so an episode that grows by a day keeps its id (the sensor notifies once).
    Only episodes worth reading become alerts: a minimum effect size (alert_min_effect_size
    spreads), a minimum excess relative to the brand's own volume (alert_min_excess_days), no echo
    of another brand's negative episode, a cooldown (alert_cooldown_days); severity grades them. -#}

{%- set baseline = var('alert_baseline_days') | int -%}
{%- set k = var('alert_k_sigma') -%}
{%- set gap = var('alert_episode_max_gap_days') | int -%}
{%- set float = ecoute_type('float') -%}

{%- set cap = var('alert_thread_daily_cap') -%}

with brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    where is_canonical and published_date is not null
),

enriched as (
    select mention_id, enrichment_row_id from {{ ref('int_mentions_enriched') }}
),

keywords as (
    select distinct enrichment_row_id, keyword
    from {{ ref('stg_enrichment__mention_keywords') }}
),

thread_days as (
    select
        brand,
        published_date as day,
        coalesce(thread_id, mention_id) as thread_id,
        count(*) as mentions,
        sum(case when sentiment_label = 'negative' then 1 else 0 end) as negative_mentions
    from brand_mentions
    group by brand, published_date, coalesce(thread_id, mention_id)
),

{#- each thread weighs at most `cap` mentions a day, its negative ones in proportion -#}
weighted as (
    select
        brand,
        day,
        sum(least(mentions, {{ cap }})) as mentions,
        sum(cast(negative_mentions as {{ float }}) * least(mentions, {{ cap }}) / mentions)
            as negative_mentions
    from thread_days
    group by brand, day
),

days as (
    {{ day_spine('(select min(published_date) from brand_mentions)',
                 '(select max(published_date) from brand_mentions)') }}
),

brands as (
    select distinct brand from brand_mentions
),

series as (
    select
        brands.brand,
        days.day,
        cast(coalesce(weighted.mentions, 0) as {{ float }}) as mentions,
        coalesce(weighted.negative_mentions, 0) as negative_mentions
    from brands
    cross join days
    left join weighted on brands.brand = weighted.brand and days.day = weighted.day
),

{#- each day with the baseline days before it (a self-join: portable where ordered-set
    aggregates are not window functions) -#}
baseline_rows as (
    select
        series.brand,
        series.day,
        past.mentions,
        past.negative_mentions
    from series
    inner join series as past
        on series.brand = past.brand
        and past.day < series.day
        and past.day >= cast({{ dbt.dateadd('day', -baseline, 'series.day') }} as date)
),

baseline_level as (
    select
        brand,
        day,
        count(*) as baseline_days,
        percentile_cont(0.5) within group (order by mentions) as baseline_median,
        sum(mentions) as baseline_mentions,
        sum(negative_mentions) as baseline_negative_mentions
    from baseline_rows
    group by brand, day
),

baseline_spread as (
    select
        baseline_rows.brand,
        baseline_rows.day,
        percentile_cont(0.5) within group (
            order by abs(baseline_rows.mentions - baseline_level.baseline_median)
        ) as baseline_mad
    from baseline_rows
    inner join baseline_level
        on baseline_rows.brand = baseline_level.brand and baseline_rows.day = baseline_level.day
    group by baseline_rows.brand, baseline_rows.day
),

measured as (
    select
        series.brand,
        series.day,
        series.mentions,
        series.negative_mentions,
        series.negative_mentions / series.mentions as negative_share,
        baseline_level.baseline_median,
        baseline_level.baseline_mentions / baseline_level.baseline_days as baseline_mean,
        baseline_spread.baseline_mad,
        case when baseline_level.baseline_mentions > 0
            then baseline_level.baseline_negative_mentions / baseline_level.baseline_mentions
            else 0
        end as baseline_negative_share,
        greatest(
            baseline_level.baseline_median * {{ var('alert_min_volume_lift') }},
            baseline_level.baseline_median + {{ k }} * greatest(
                sqrt(greatest(baseline_level.baseline_median, 1.0)),
                1.4826 * baseline_spread.baseline_mad
            )
        ) as volume_threshold,
        {#- Laplace-smoothed baseline share for the standard error: never 0 on a spotless baseline -#}
        {{ k }} * sqrt(
            ((baseline_level.baseline_negative_mentions + 1.0) / (baseline_level.baseline_mentions + 2.0))
            * (1 - (baseline_level.baseline_negative_mentions + 1.0) / (baseline_level.baseline_mentions + 2.0))
            / series.mentions
        ) as negative_margin,
        {#- effect sizes: how many spreads above the baseline the day is (volume: robust Poisson
            / MAD spread; negative share: Laplace-smoothed binomial standard error) -#}
        (series.mentions - baseline_level.baseline_median) / greatest(
            sqrt(greatest(baseline_level.baseline_median, 1.0)), 1.4826 * baseline_spread.baseline_mad
        ) as volume_effect,
        (series.negative_mentions / series.mentions
            - (baseline_level.baseline_negative_mentions + 1.0) / (baseline_level.baseline_mentions + 2.0))
        / sqrt(
            ((baseline_level.baseline_negative_mentions + 1.0) / (baseline_level.baseline_mentions + 2.0))
            * (1 - (baseline_level.baseline_negative_mentions + 1.0) / (baseline_level.baseline_mentions + 2.0))
            / series.mentions
        ) as negative_effect
    from series
    inner join baseline_level
        on series.brand = baseline_level.brand and series.day = baseline_level.day
    inner join baseline_spread
        on series.brand = baseline_spread.brand and series.day = baseline_spread.day
    where baseline_level.baseline_days >= {{ var('alert_min_baseline_days') }}
      and series.mentions >= {{ var('alert_min_mentions') }}
),

flagged as (
    select
        *,
        baseline_negative_share
            + greatest({{ var('alert_min_negative_share_increase') }}, negative_margin)
            as negative_threshold,
        mentions > volume_threshold as volume_flag,
        negative_share > baseline_negative_share
            + greatest({{ var('alert_min_negative_share_increase') }}, negative_margin)
            as negative_flag
    from measured
),

flagged_days as (
    select
        *,
        case
            when lag(day) over (partition by brand order by day) is null then 1
            when {{ dbt.datediff('lag(day) over (partition by brand order by day)', 'day', 'day') }}
                > {{ gap + 1 }} then 1
            else 0
        end as starts_episode
    from flagged
    where volume_flag or negative_flag
),

numbered as (
    select
        *,
        sum(starts_episode) over (
            partition by brand order by day rows between unbounded preceding and current row
        ) as episode_number
    from flagged_days
),

{#- the day that shows the episode's main signal best: its peak -#}
ranked_days as (
    select
        numbered.*,
        min(day) over (partition by brand, episode_number) as first_day,
        max(day) over (partition by brand, episode_number) as last_day,
        max(case when negative_flag then 1 else 0 end) over (partition by brand, episode_number)
            as has_negative,
        max(case when volume_flag then 1 else 0 end) over (partition by brand, episode_number)
            as has_volume,
        count(*) over (partition by brand, episode_number) as flagged_days,
        {#- mentions above the baseline over the episode's flagged days: the count an alert must
            reach, in ordinary days of the brand's own talk (its baseline mean a day) -#}
        sum(mentions - baseline_median) over (partition by brand, episode_number) as excess_mentions,
        sum(negative_mentions - baseline_negative_share * mentions)
            over (partition by brand, episode_number) as excess_negative_mentions,
        max(case when volume_flag then volume_effect end)
            over (partition by brand, episode_number) as episode_volume_effect,
        max(case when negative_flag then negative_effect end)
            over (partition by brand, episode_number) as episode_negative_effect
    from numbered
),

peaks as (
    select
        *,
        row_number() over (
            partition by brand, episode_number
            order by
                case when has_negative = 1
                    then negative_share - negative_threshold
                    else mentions / volume_threshold
                end desc,
                day
        ) as peak_rank
    from ranked_days
),

episodes as (
    select
        brand,
        first_day,
        last_day,
        flagged_days,
        day as peak_day,
        case when has_negative = 1 then 'negative_spike' else 'volume_spike' end as alert_type,
        case
            when has_volume = 1 and has_negative = 1 then 'volume, negative_share'
            when has_volume = 1 then 'volume'
            else 'negative_share'
        end as signals,
        case when has_negative = 1 then negative_share else mentions end as observed,
        case when has_negative = 1 then negative_threshold else volume_threshold end as threshold,
        baseline_median as baseline_daily_mentions,
        baseline_negative_share,
        {#- the strongest signal of the episode, in spreads above its baseline -#}
        case
            when episode_volume_effect is null then episode_negative_effect
            when episode_negative_effect is null then episode_volume_effect
            else greatest(episode_volume_effect, episode_negative_effect)
        end as effect_size,
        excess_mentions,
        excess_negative_mentions,
        case when has_negative = 1
            then excess_negative_mentions / greatest(baseline_negative_share * baseline_mean, 1.0)
            else excess_mentions / greatest(baseline_mean, 1.0)
        end as excess_days,
        has_negative,
        has_volume
    from peaks
    where peak_rank = 1
),

{#- an alert worth reading: the peak is at least var alert_min_effect_size spreads above the
    baseline (a day crossing its threshold by a hair is not), and the episode adds at least
    var alert_min_excess_days ordinary days of the brand's own talk (of its negative talk for a
    negative spike): a minimum count relative to each brand's volume -#}
worth_reading as (
    select *
    from episodes
    where effect_size >= {{ var('alert_min_effect_size') }}
      and excess_days >= {{ var('alert_min_excess_days') }}
),

{#- an echo: a volume-only episode of a brand overlapping another brand's negative episode
    (people comparing with the brand in trouble, or naming it in its threads); the alert belongs
    to the brand in trouble. An episode with its own negative signal is never an echo. -#}
echoes as (
    select distinct volume_only.brand, volume_only.first_day
    from worth_reading as volume_only
    inner join worth_reading as cause
        on cause.brand <> volume_only.brand
        and cause.has_negative = 1
        and cause.first_day <= volume_only.last_day
        and cause.last_day >= volume_only.first_day
    where volume_only.has_negative = 0
),

kept as (
    select worth_reading.*
    from worth_reading
    left join echoes
        on worth_reading.brand = echoes.brand and worth_reading.first_day = echoes.first_day
    where echoes.brand is null
),

{#- cooldown: within var alert_cooldown_days after a brand's alert ends, a new episode of the
    same brand is part of the same story unless it is more severe (larger effect) -#}
cooled as (
    select
        *,
        lag(last_day) over (partition by brand order by first_day) as previous_last_day,
        lag(effect_size) over (partition by brand order by first_day) as previous_effect_size
    from kept
),

alerted as (
    select *
    from cooled
    where previous_last_day is null
       or {{ dbt.datediff('previous_last_day', 'first_day', 'day') }} > {{ var('alert_cooldown_days') }}
       or effect_size > previous_effect_size
),

graded as (
    select
        *,
        case
            when has_negative = 1 and has_volume = 1
                and effect_size >= 2 * {{ var('alert_min_effect_size') }} then 'high'
            when effect_size >= 2 * {{ var('alert_min_effect_size') }}
                or excess_days >= 2 * {{ var('alert_min_excess_days') }}
                or (has_negative = 1 and has_volume = 1) then 'medium'
            else 'low'
        end as severity
    from alerted
),

{#- the brand's mentions during each episode and over the baseline before it -#}
episode_mentions as (
    select
        episodes.brand,
        episodes.first_day,
        brand_mentions.mention_id,
        brand_mentions.author_id,
        brand_mentions.source,
        brand_mentions.sentiment_label,
        brand_mentions.sentiment_score,
        brand_mentions.matched_alias,
        case
            when brand_mentions.published_date >= episodes.first_day then 'episode'
            else 'baseline'
        end as part
    from graded as episodes
    inner join brand_mentions
        on episodes.brand = brand_mentions.brand
        and brand_mentions.published_date <= episodes.last_day
        and brand_mentions.published_date
            >= cast({{ dbt.dateadd('day', -baseline, 'episodes.first_day') }} as date)
),

episode_summary as (
    select
        brand,
        first_day,
        cast(sum(case when part = 'episode' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as episode_mentions,
        cast(sum(case when part = 'baseline' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as baseline_mentions,
        avg(case when part = 'episode' and sentiment_label = 'negative' then 1.0
                 when part = 'episode' then 0.0 end) as episode_negative_share,
        avg(case when part = 'episode' then sentiment_score end) as episode_avg_sentiment,
        avg(case when part = 'baseline' then sentiment_score end) as baseline_avg_sentiment
    from episode_mentions
    group by brand, first_day
),

keyword_counts as (
    select
        episode_mentions.brand,
        episode_mentions.first_day,
        keywords.keyword,
        cast(sum(case when episode_mentions.part = 'episode' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as episode_n,
        cast(sum(case when episode_mentions.part = 'baseline' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as baseline_n
    from episode_mentions
    inner join enriched on episode_mentions.mention_id = enriched.mention_id
    inner join keywords on enriched.enrichment_row_id = keywords.enrichment_row_id
    where keywords.keyword <> {{ fold_case('episode_mentions.brand') }}
      and keywords.keyword <> {{ fold_case("coalesce(episode_mentions.matched_alias, '')") }}
    group by episode_mentions.brand, episode_mentions.first_day, keywords.keyword
),

{#- a keyword explains the episode by how far it exceeds what the baseline rate predicts -#}
top_keywords as (
    select
        keyword_counts.brand,
        keyword_counts.first_day,
        keyword_counts.keyword,
        row_number() over (
            partition by keyword_counts.brand, keyword_counts.first_day
            order by
                keyword_counts.episode_n - episode_summary.episode_mentions
                    * cast(keyword_counts.baseline_n as {{ float }})
                    / greatest(episode_summary.baseline_mentions, 1) desc,
                keyword_counts.episode_n desc,
                keyword_counts.keyword
        ) as rnk
    from keyword_counts
    inner join episode_summary
        on keyword_counts.brand = episode_summary.brand
        and keyword_counts.first_day = episode_summary.first_day
    where keyword_counts.episode_n >= {{ var('keywords_min_mentions') }}
),

top_authors as (
    select brand, first_day, author_id, n,
        row_number() over (partition by brand, first_day order by n desc, author_id) as rnk
    from (
        select brand, first_day, author_id, count(*) as n
        from episode_mentions
        where part = 'episode' and author_id is not null
        group by brand, first_day, author_id
    ) as counted
),

top_sources as (
    select brand, first_day, source, n,
        row_number() over (partition by brand, first_day order by n desc, source) as rnk
    from (
        select brand, first_day, source, count(*) as n
        from episode_mentions
        where part = 'episode'
        group by brand, first_day, source
    ) as counted
),

keyword_lists as (
    select brand, first_day, {{ dbt.listagg('keyword', "', '", 'order by rnk') }} as top_keywords
    from top_keywords where rnk <= 5
    group by brand, first_day
),

author_lists as (
    select brand, first_day, {{ dbt.listagg('author_id', "', '", 'order by rnk') }} as top_authors
    from top_authors where rnk <= 3
    group by brand, first_day
),

source_lists as (
    select
        brand,
        first_day,
        {{ dbt.listagg(dbt.concat(['source', "' ('", dbt.safe_cast('n', dbt.type_string()), "')'"]), "', '", 'order by rnk') }}
            as top_sources
    from top_sources
    group by brand, first_day
),

final as (
    select
        {{ dbt.hash(dbt.concat(['episodes.brand', "'|'", dbt.safe_cast('episodes.first_day', dbt.type_string())])) }}
            as alert_id,
        episodes.brand,
        episodes.first_day as day,
        episodes.first_day,
        episodes.last_day,
        episodes.flagged_days,
        episodes.peak_day,
        episodes.alert_type,
        episodes.signals,
        episodes.observed,
        episodes.threshold,
        episodes.baseline_daily_mentions,
        episodes.baseline_negative_share,
        episodes.severity,
        episodes.effect_size,
        episodes.excess_mentions,
        episodes.excess_days,
        episode_summary.episode_mentions as window_mentions,
        episode_summary.episode_negative_share as window_negative_share,
        episode_summary.episode_avg_sentiment as window_avg_sentiment,
        episode_summary.baseline_avg_sentiment,
        episode_summary.episode_avg_sentiment - episode_summary.baseline_avg_sentiment
            as sentiment_change,
        keyword_lists.top_keywords,
        author_lists.top_authors,
        source_lists.top_sources
    from graded as episodes
    left join episode_summary
        on episodes.brand = episode_summary.brand and episodes.first_day = episode_summary.first_day
    left join keyword_lists
        on episodes.brand = keyword_lists.brand and episodes.first_day = keyword_lists.first_day
    left join author_lists
        on episodes.brand = author_lists.brand and episodes.first_day = author_lists.first_day
    left join source_lists
        on episodes.brand = source_lists.brand and episodes.first_day = source_lists.first_day
)

select * from final
