with source as (
    {{ select_source('enrichment', 'evaluation_runs', {
        'run_at': 'timestamptz', 'gold_file': 'string', 'lang': 'string', 'n': 'bigint',
        'accuracy': 'float', 'macro_f1': 'float', 'f1_negative': 'float', 'f1_neutral': 'float',
        'f1_positive': 'float', 'enrichment_version': 'string'
    }) }}
),

renamed as (
    select
        run_at,
        gold_file,
        lang,
        n as labelled_rows,
        accuracy,
        macro_f1,
        f1_negative,
        f1_neutral,
        f1_positive,
        enrichment_version
    from source
)

select * from renamed
