{{ config(
    materialized='incremental',
    unique_key='period_start',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="{{ drop_periods_not_in(ref('int_author_roles')) }}",
    meta={'test_newest_rows': 'refreshed_at'}
) }}

{#- Per month: the whole community's composition over the trailing var typology_window_months,
    compared with Gartner's bands (creators <= 3 %, contributors 3-10 %, opportunists 10-20 %;
    vars gartner_*). The bands describe a community's members, so each person counts once: the
    accounts of one handle on several sources are one member (the pseudonym is per handle),
    whose role is the first of opportunist, creator, contributor, observer any account holds.
    Members are everyone who posted in the window: the population the roles' quantile thresholds
    are relative to (int_author_roles). Not the few who speak of one brand in one month
    (mart_community_composition): the most active are over-represented there by construction.
    The singular test assert_community_within_gartner_bands judges these rows, on full windows
    of at least var gartner_min_authors members.
    Incremental: a build counts again the months int_author_roles rewrote since this table's
    newest refreshed_at (it ranks a month whole); a month gone there is deleted. -#}

{%- set float = ecoute_type('float') -%}
{%- set incremental = is_incremental() and built_has_columns(this, ['refreshed_at']) %}

with roles as (
    select * from {{ ref('int_author_roles') }}
    {%- if incremental %}
    where period_start in (
        select period_start
        from {{ ref('int_author_roles') }}
        where refreshed_at > {{ own_watermark() }}
    )
    {%- endif %}
),

members as (
    select distinct
        author_id,
        {{ fold_case('author_name') }} as member
    from {{ ref('int_author_posts') }}
    {%- if incremental %}
    where author_id in (select author_id from roles)
    {%- endif %}
),

member_roles as (
    select
        roles.period_start,
        coalesce(members.member, roles.author_id) as member,
        max(case when roles.is_full_window then 1 else 0 end) as is_full_window,
        min(case roles.author_type
            when 'opportunist' then 1
            when 'creator' then 2
            when 'contributor' then 3
            else 4
        end) as role_rank
    from roles
    inner join members on roles.author_id = members.author_id
    group by roles.period_start, coalesce(members.member, roles.author_id)
),

counted as (
    select
        period_start,
        max(is_full_window) = 1 as is_full_window,
        count(*) as authors,
        cast(sum(case when role_rank = 2 then 1 else 0 end) as {{ dbt.type_bigint() }}) as creators,
        cast(sum(case when role_rank = 3 then 1 else 0 end) as {{ dbt.type_bigint() }}) as contributors,
        cast(sum(case when role_rank = 1 then 1 else 0 end) as {{ dbt.type_bigint() }}) as opportunists,
        cast(sum(case when role_rank = 4 then 1 else 0 end) as {{ dbt.type_bigint() }}) as observers
    from member_roles
    group by period_start
),

shares as (
    select
        *,
        cast(creators as {{ float }}) / authors as creator_share,
        cast(contributors as {{ float }}) / authors as contributor_share,
        cast(opportunists as {{ float }}) / authors as opportunist_share,
        cast(observers as {{ float }}) / authors as observer_share
    from counted
),

final as (
    select
        *,
        creator_share <= {{ var('gartner_creators_max') }} as creators_within_band,
        contributor_share between {{ var('gartner_contributors_min') }}
            and {{ var('gartner_contributors_max') }} as contributors_within_band,
        opportunist_share between {{ var('gartner_opportunists_min') }}
            and {{ var('gartner_opportunists_max') }} as opportunists_within_band,
        {{ dbt.current_timestamp() }} as refreshed_at
    from shares
)

select * from final
