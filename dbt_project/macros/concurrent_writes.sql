{#- Day partitions built side by side (Postgres): two dbt runs may rewrite the same rows of one
    day-scoped incremental model (a story group whose copies fall on both runs' days). Under READ
    COMMITTED the second run's delete would not see the first run's uncommitted inserts and both
    would insert the group: duplicates. The pre-hook below makes the second writer of a model wait
    until the first has committed; each statement after it reads a snapshot that includes the
    first run's rows, so its delete+insert replaces them. -#}

{#- A pre-hook (inside the model's transaction): one writer at a time per model, released at commit
    or rollback. Nothing on engines with one writer per database (DuckDB). -#}
{% macro serialise_model_writes() -%}
    {{ return(adapter.dispatch('serialise_model_writes', 'ecoute')()) }}
{%- endmacro %}

{% macro default__serialise_model_writes() -%}
{%- endmacro %}

{#- The key: the namespace of these locks, then the model's schema and name (what a test holding
    the same lock names too). -#}
{% macro postgres__serialise_model_writes() -%}
    select pg_advisory_xact_lock(hashtext('ecoute model writes'), hashtext('{{ this.schema }}.{{ this.identifier }}'))
{%- endmacro %}

{#- Row write times (`refreshed_at`) are watermarks: a model reads the rows of its parent newer than
    the newest it holds. Postgres' `current_timestamp` is the transaction's start, which may come
    before a run waited for another run's lock; a row committed after the watermark was read could
    then carry an older time and be missed. The start of the statement that writes the rows comes
    after the lock, so write times rise in commit order. One statement writes a model's rows, so
    they still share one time. -#}
{% macro postgres__current_timestamp() -%}
    statement_timestamp()
{%- endmacro %}
