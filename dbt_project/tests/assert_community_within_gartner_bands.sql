{{ config(severity='warn', tags=['community_health']) }}

{#- Warns (never fails the build) for brand-months whose community composition leaves
    Gartner's bands: a sign of a spam wave, a campaign, or a community gone quiet. Only
    communities of at least var gartner_min_authors authors are judged; smaller ones are noise. -#}

select
    brand,
    period_start,
    authors,
    creator_share,
    contributor_share,
    opportunist_share
from {{ ref('mart_community_composition') }}
where authors >= {{ var("gartner_min_authors") }}
  and not (creators_within_band and contributors_within_band and opportunists_within_band)
