{{ config(severity='warn', tags=['community_health']) }}

{#- Warns (never fails the build) for months whose whole community (trailing typology window)
    leaves Gartner's bands: a sign of a spam wave, a campaign, or a community gone quiet. Only
    full windows of at least var gartner_min_authors authors are judged; smaller or younger
    communities are noise. -#}

select
    period_start,
    authors,
    creator_share,
    contributor_share,
    opportunist_share
from {{ ref('mart_community_bands') }}
where authors >= {{ var("gartner_min_authors") }}
  and is_full_window
  and not (creators_within_band and contributors_within_band and opportunists_within_band)
