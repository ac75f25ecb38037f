{#- Per brand: the trusted voices dedicated to the brand who speak ill of it: trust_score >=
    var advocate_min_trust, at least advocate_min_mentions negative unique mentions, more negative
    than positive ones, and at least advocate_min_focus of all their brand talk about this brand
    (during an outage everyone complains; a detractor keeps coming back to the brand). Ranked by
    stance_score, with their three most negative mentions. -#}

{#- the query is shared with its mirror image: macros/community_voices.sql -#}
{{ community_voices('negative') }}
