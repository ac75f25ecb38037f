-- What caused the spike on a given day? Set the day in `asked` and run: every alert episode that
-- covers it, with the signals that fired, how far above the baseline it went, the words, people
-- and sources that drove it, and its three most negative headlines. Plain SQL on marts.*.
with asked as (
    select cast('2026-08-30' as date) as day
)

select
    alerts.brand,
    alerts.first_day,
    alerts.last_day,
    alerts.signals,
    alerts.window_mentions as episode_mentions,
    alerts.baseline_daily_mentions,
    round(alerts.window_negative_share, 2) as negative_share,
    round(alerts.baseline_negative_share, 2) as baseline_negative_share,
    round(alerts.sentiment_change, 2) as sentiment_change,
    alerts.top_keywords,
    alerts.top_authors,
    alerts.top_sources,
    (
        select string_agg(worst.title, ' | ' order by worst.sentiment_score, worst.title)
        from (
            select mentions.title, min(mentions.sentiment_score) as sentiment_score
            from marts.fct_brand_mentions as mentions
            where mentions.brand = alerts.brand
              and mentions.is_canonical
              and mentions.title is not null
              and mentions.published_date between alerts.first_day and alerts.last_day
            group by mentions.title
            order by sentiment_score, mentions.title
            limit 3
        ) as worst
    ) as most_negative_headlines
from marts.mart_alerts as alerts
cross join asked
where asked.day between alerts.first_day and alerts.last_day
order by alerts.window_mentions desc
