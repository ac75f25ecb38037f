{{ config(
    materialized='incremental',
    unique_key='request_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook=[
        "{{ drop_rows_older_than_inputs(ref('fct_mentions'), 'input.thread_id = built.thread_id') }}",
        "{{ drop_rows_older_than_inputs(ref('fct_mentions'), 'input.mention_id = built.opened_by_mention_id') }}",
        "{{ drop_rows_older_than_inputs(ref('fct_mentions'), 'input.mention_id = built.answer_mention_id') }}",
    ],
    meta={'test_newest_rows': 'refreshed_at'}
) }}

{#- One row per thread x brand where a customer asked or complained to a brand with official
    accounts: the first such post (the request), and the first later post in the same thread by
    one of that brand's official accounts (the answer), if any.

    Asks: the customer's own words hold a question mark. Complains: the post is negative towards
    the brand (brand-level sentiment). A customer is anyone but an official account of any brand,
    posting anything but a web article (a publisher's page opens a thread, it asks nothing).
    Official accounts are public (never pseudonymised), so they are matched by handle.

    Incremental: a build computes again every thread holding a mention fct_mentions rewrote
    since this table's newest refreshed_at (fct_brand_mentions rewrites the brand rows of the
    same mentions), and the thread a rewritten mention opened a request or answered one in as
    built (it may have moved to another thread); only the first request and answer of a thread
    count, so no other thread can change. Deletion rule (post-hooks): a built row older than a
    mention rewritten since in its thread, or than its own request or answer, was computed
    again in this run if it still holds; one still older no longer does (the thread lost its
    request, a brand no longer asked) and is deleted. Official accounts come from the config: a
    change rebuilds every table in full. Erasure and retention drop it (core/privacy.py). -#}

{%- set incremental = is_incremental() and built_has_columns(this, ['refreshed_at']) %}

with
{%- if incremental %}
rewritten as (
    select mention_id, thread_id
    from {{ ref('fct_mentions') }}
    where refreshed_at > {{ own_watermark() }}
),

touched_threads as (
    select thread_id from rewritten where thread_id is not null
    union
    select built.thread_id
    from {{ this }} as built
    where built.opened_by_mention_id in (select mention_id from rewritten)
       or built.answer_mention_id in (select mention_id from rewritten)
),
{%- endif %}

brand_mentions as (
    select * from {{ ref('fct_brand_mentions') }}
    where thread_id is not null and published_at is not null
    {%- if incremental %}
      and thread_id in (select thread_id from touched_threads)
    {%- endif %}
),

mentions as (
    select * from {{ ref('fct_mentions') }}
    where thread_id is not null and published_at is not null
    {%- if incremental %}
      and thread_id in (select thread_id from touched_threads)
    {%- endif %}
),

accounts as (
    select * from {{ ref('stg_enrichment__official_accounts') }}
),

answering_brands as (
    select distinct brand from accounts
),

customer_requests as (
    select
        brand_mentions.thread_id,
        brand_mentions.brand,
        brand_mentions.mention_id,
        brand_mentions.source,
        brand_mentions.published_at,
        case
            when brand_mentions.sentiment_label = 'negative'
                and {{ dbt.position("'?'", "coalesce(brand_mentions.text, '')") }} > 0
                then 'question_and_complaint'
            when brand_mentions.sentiment_label = 'negative' then 'complaint'
            else 'question'
        end as request_kind,
        row_number() over (
            partition by brand_mentions.thread_id, brand_mentions.brand
            order by brand_mentions.published_at, brand_mentions.mention_id
        ) as request_rank
    from brand_mentions
    inner join answering_brands on brand_mentions.brand = answering_brands.brand
    left join accounts as speaker on {{ fold_case('brand_mentions.author_name') }} = speaker.handle
    where speaker.handle is null
        and brand_mentions.kind <> 'article'
        and (
            brand_mentions.sentiment_label = 'negative'
            or {{ dbt.position("'?'", "coalesce(brand_mentions.text, '')") }} > 0
        )
),

requests as (
    select * from customer_requests where request_rank = 1
),

official_posts as (
    select
        mentions.thread_id,
        accounts.brand,
        mentions.mention_id,
        mentions.published_at
    from mentions
    inner join accounts on {{ fold_case('mentions.author_name') }} = accounts.handle
),

answers as (
    select
        requests.thread_id,
        requests.brand,
        official_posts.mention_id,
        official_posts.published_at,
        row_number() over (
            partition by requests.thread_id, requests.brand
            order by official_posts.published_at, official_posts.mention_id
        ) as answer_rank
    from requests
    inner join official_posts
        on requests.thread_id = official_posts.thread_id
        and requests.brand = official_posts.brand
        and official_posts.published_at > requests.published_at
),

first_answers as (
    select * from answers where answer_rank = 1
),

final as (
    select
        {{ dbt.hash(dbt.concat(['requests.thread_id', "'|'", 'requests.brand'])) }} as request_id,
        requests.thread_id,
        requests.brand,
        requests.source,
        requests.mention_id as opened_by_mention_id,
        requests.request_kind,
        requests.published_at as opened_at,
        {{ utc_date('requests.published_at') }} as opened_date,
        first_answers.mention_id as answer_mention_id,
        first_answers.published_at as answered_at,
        cast(
            {{ dbt.datediff('requests.published_at', 'first_answers.published_at', 'second') }}
            as {{ ecoute_type('float') }}
        ) / 3600 as response_hours,
        first_answers.mention_id is not null as is_answered,
        coalesce(
            {{ dbt.datediff('requests.published_at', 'first_answers.published_at', 'second') }}
                <= 24 * 3600,
            false
        ) as is_answered_24h,
        {{ dbt.current_timestamp() }} as refreshed_at
    from requests
    left join first_answers
        on requests.thread_id = first_answers.thread_id
        and requests.brand = first_answers.brand
)

select * from final
