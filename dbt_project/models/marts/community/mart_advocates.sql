{#- Per brand: the trusted voices dedicated to the brand who speak well of it: trust_score >=
    var advocate_min_trust, at least advocate_min_mentions positive unique mentions, more positive
    than negative ones, and at least advocate_min_focus of all their brand talk about this brand
    (ordinary customers of a well-liked brand are positive too, but spread their talk over the
    market; and the sentiment model misreads some of a fan's mentions, so a high positive share
    alone would miss real fans). Ranked by stance_score, with their three most positive mentions. -#}

{#- the query is shared with its mirror image: macros/community_voices.sql -#}
{{ community_voices('positive') }}
