-- The latest sentiment evaluation per gold file and language: what the page shows as model quality.
with runs as (
    select * from {{ ref('stg_enrichment__evaluation_runs') }}
),

latest as (
    select
        gold_file,
        lang,
        max(run_at) as run_at
    from runs
    group by gold_file, lang
),

final as (
    select
        runs.gold_file,
        runs.lang,
        runs.run_at,
        runs.labelled_rows,
        runs.accuracy,
        runs.macro_f1,
        runs.f1_negative,
        runs.f1_neutral,
        runs.f1_positive,
        runs.enrichment_version
    from runs
    inner join latest
        on runs.gold_file = latest.gold_file
        and runs.lang = latest.lang
        and runs.run_at = latest.run_at
)

select * from final
