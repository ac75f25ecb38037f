{#- Volume and negative-share spikes per brand: the recent window (var alert_window_days, ending
    on `day`) against the rolling baseline of the alert_baseline_days before it. A spike is a
    window above baseline mean + k * standard deviation (k = var alert_k_sigma), with at least
    alert_min_mentions mentions in the window and alert_min_baseline_days of baseline; a
    negative spike must also add alert_min_negative_share_increase to the baseline share. Each alert
    carries its explanation (keywords, authors, sources, sentiment change) so a campaign and a
    crisis can be told apart. -#}

{%- set window = var('alert_window_days') | int -%}
{%- set baseline = var('alert_baseline_days') | int -%}
{%- set k = var('alert_k_sigma') -%}

with daily as (
    select * from {{ ref('mart_brand_sentiment_daily') }}
),

brand_mentions as (
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

days as (
    {{ day_spine('(select min(day) from ' ~ ref('mart_brand_sentiment_daily') ~ ')',
                 '(select max(day) from ' ~ ref('mart_brand_sentiment_daily') ~ ')') }}
),

brands as (
    select distinct brand from daily
),

series as (
    select
        brands.brand,
        days.day,
        coalesce(daily.mentions, 0) as mentions,
        coalesce(daily.negative_mentions, 0) as negative_mentions,
        daily.negative_share,
        daily.avg_sentiment_score
    from brands
    cross join days
    left join daily on brands.brand = daily.brand and days.day = daily.day
),

windowed as (
    select
        brand,
        day,
        cast(sum(mentions) over recent as {{ dbt.type_bigint() }}) as window_mentions,
        cast(sum(negative_mentions) over recent as {{ dbt.type_bigint() }}) as window_negative_mentions,
        count(*) over baseline as baseline_days,
        avg(cast(mentions as {{ ecoute_type('float') }})) over baseline as baseline_mean,
        stddev_samp(cast(mentions as {{ ecoute_type('float') }})) over baseline as baseline_stddev,
        cast(sum(mentions) over baseline as {{ dbt.type_bigint() }}) as baseline_mentions,
        cast(sum(negative_mentions) over baseline as {{ dbt.type_bigint() }}) as baseline_negative_mentions,
        stddev_samp(negative_share) over baseline as baseline_negative_share_stddev
    from series
    window
        recent as (partition by brand order by day rows between {{ window - 1 }} preceding and current row),
        baseline as (
            partition by brand order by day
            rows between {{ window + baseline - 1 }} preceding and {{ window }} preceding
        )
),

measured as (
    select
        *,
        cast(window_mentions as {{ ecoute_type('float') }}) / {{ window }} as window_daily_mentions,
        case when window_mentions > 0
            then cast(window_negative_mentions as {{ ecoute_type('float') }}) / window_mentions
        end as window_negative_share,
        case when baseline_mentions > 0
            then cast(baseline_negative_mentions as {{ ecoute_type('float') }}) / baseline_mentions
        end as baseline_negative_share
    from windowed
    where baseline_days >= {{ var('alert_min_baseline_days') }}
      and window_mentions >= {{ var('alert_min_mentions') }}
),

spikes as (
    select
        brand, day, 'volume_spike' as alert_type,
        window_daily_mentions as observed,
        baseline_mean + {{ k }} * coalesce(baseline_stddev, 0) as threshold,
        baseline_mean as baseline_value,
        baseline_stddev as baseline_spread,
        window_mentions, window_negative_share, baseline_negative_share
    from measured
    where window_daily_mentions > baseline_mean + {{ k }} * coalesce(baseline_stddev, 0)
    union all
    select
        brand, day, 'negative_spike' as alert_type,
        window_negative_share as observed,
        baseline_negative_share + {{ k }} * coalesce(baseline_negative_share_stddev, 0) as threshold,
        baseline_negative_share as baseline_value,
        baseline_negative_share_stddev as baseline_spread,
        window_mentions, window_negative_share, baseline_negative_share
    from measured
    where window_negative_share
        > coalesce(baseline_negative_share, 0) + {{ k }} * coalesce(baseline_negative_share_stddev, 0)
      and window_negative_share
        >= coalesce(baseline_negative_share, 0) + {{ var('alert_min_negative_share_increase') }}
),

alert_days as (
    select distinct brand, day from spikes
),

{#- the mentions of each alert's window and of its baseline, for the explanation -#}
window_mentions as (
    select
        alert_days.brand,
        alert_days.day,
        brand_mentions.mention_id,
        brand_mentions.author_id,
        brand_mentions.source,
        brand_mentions.sentiment_score,
        brand_mentions.matched_alias,
        case
            when brand_mentions.published_date
                > cast({{ dbt.dateadd('day', -window, 'alert_days.day') }} as date)
                then 'window'
            else 'baseline'
        end as part
    from alert_days
    inner join brand_mentions
        on alert_days.brand = brand_mentions.brand
        and brand_mentions.published_date <= alert_days.day
        and brand_mentions.published_date
            > cast({{ dbt.dateadd('day', -(window + baseline), 'alert_days.day') }} as date)
),

sentiment_change as (
    select
        brand,
        day,
        avg(case when part = 'window' then sentiment_score end) as window_avg_sentiment,
        avg(case when part = 'baseline' then sentiment_score end) as baseline_avg_sentiment
    from window_mentions
    group by brand, day
),

top_keywords as (
    select brand, day, keyword, n, row_number() over (partition by brand, day order by n desc, keyword) as rnk
    from (
        select window_mentions.brand, window_mentions.day, keywords.keyword, count(*) as n
        from window_mentions
        inner join enriched on window_mentions.mention_id = enriched.mention_id
        inner join keywords on enriched.enrichment_row_id = keywords.enrichment_row_id
        where window_mentions.part = 'window'
          and keywords.keyword <> lower(window_mentions.brand)
          and keywords.keyword <> lower(coalesce(window_mentions.matched_alias, ''))
        group by window_mentions.brand, window_mentions.day, keywords.keyword
    ) as counted
),

top_authors as (
    select brand, day, author_id, n, row_number() over (partition by brand, day order by n desc, author_id) as rnk
    from (
        select brand, day, author_id, count(*) as n
        from window_mentions
        where part = 'window' and author_id is not null
        group by brand, day, author_id
    ) as counted
),

top_sources as (
    select brand, day, source, n, row_number() over (partition by brand, day order by n desc, source) as rnk
    from (
        select brand, day, source, count(*) as n
        from window_mentions
        where part = 'window'
        group by brand, day, source
    ) as counted
),

keyword_lists as (
    select brand, day, {{ dbt.listagg('keyword', "', '", 'order by rnk') }} as top_keywords
    from top_keywords where rnk <= 5
    group by brand, day
),

author_lists as (
    select brand, day, {{ dbt.listagg('author_id', "', '", 'order by rnk') }} as top_authors
    from top_authors where rnk <= 3
    group by brand, day
),

source_lists as (
    select
        brand,
        day,
        {{ dbt.listagg(dbt.concat(['source', "' ('", dbt.safe_cast('n', dbt.type_string()), "')'"]), "', '", 'order by rnk') }}
            as top_sources
    from top_sources
    group by brand, day
),

final as (
    select
        {{ dbt.hash(dbt.concat(['spikes.brand', "'|'", dbt.safe_cast('spikes.day', dbt.type_string()), "'|'", 'spikes.alert_type'])) }}
            as alert_id,
        spikes.brand,
        spikes.day,
        cast({{ dbt.dateadd('day', -(window - 1), 'spikes.day') }} as date) as window_start,
        spikes.alert_type,
        spikes.observed,
        spikes.threshold,
        spikes.baseline_value,
        spikes.baseline_spread,
        spikes.window_mentions,
        spikes.window_negative_share,
        spikes.baseline_negative_share,
        sentiment_change.window_avg_sentiment,
        sentiment_change.baseline_avg_sentiment,
        sentiment_change.window_avg_sentiment - sentiment_change.baseline_avg_sentiment
            as sentiment_change,
        keyword_lists.top_keywords,
        author_lists.top_authors,
        source_lists.top_sources
    from spikes
    left join sentiment_change on spikes.brand = sentiment_change.brand and spikes.day = sentiment_change.day
    left join keyword_lists on spikes.brand = keyword_lists.brand and spikes.day = keyword_lists.day
    left join author_lists on spikes.brand = author_lists.brand and spikes.day = author_lists.day
    left join source_lists on spikes.brand = source_lists.brand and spikes.day = source_lists.day
)

select * from final
