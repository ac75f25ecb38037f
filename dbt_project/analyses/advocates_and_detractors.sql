-- Who are our advocates and detractors, and why? One row per voice, strongest first: how often
-- they speak for or against the brand, what makes them credible (the trust components of
-- marts.dim_authors) and the mention that shows it best. Plain SQL on marts.*: run it as is.
select
    voices.brand,
    voices.role,
    voices.author_rank,
    voices.author_name,
    voices.mentions,
    voices.positive_mentions,
    voices.negative_mentions,
    voices.engagement_received,
    round(voices.trust_score, 2) as trust_score,
    round(authors.trust_tenure, 2) as tenure,
    round(authors.trust_regularity, 2) as regularity,
    round(authors.trust_cross_source, 2) as cross_source,
    round(authors.trust_engagement, 2) as engagement,
    round(authors.trust_not_promotional, 2) as not_promotional,
    round(authors.trust_consistency, 2) as consistency,
    voices.best_mention_title,
    voices.best_mention_url
from (
    select 'advocate' as role, brand, author_id, author_rank, author_name, mentions,
        positive_mentions, negative_mentions, engagement_received, trust_score,
        best_mention_title, best_mention_url
    from marts.mart_advocates
    union all
    select 'detractor' as role, brand, author_id, author_rank, author_name, mentions,
        positive_mentions, negative_mentions, engagement_received, trust_score,
        best_mention_title, best_mention_url
    from marts.mart_detractors
) as voices
inner join marts.dim_authors as authors on voices.author_id = authors.author_id
order by voices.brand, voices.role, voices.author_rank
