{#- Who works each MQL, one row per (lead, model) ever routed. A run routes the MQLs
    (int_lead_routing_matches) without an owner, in the fallback queue, with an inactive owner or
    whose rule reassigns to another team, and keeps every other assignment. A rule's active owner
    takes the lead; else the team's active owners with capacity > 0 share the leads, in hash order,
    by slots ordered by (open leads + k) / capacity, so each ends within one lead of its weighted
    share. State: see assignments_plan; docs/handoff.md has the rules. -#}
{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['lead_id', 'model'],
    on_schema_change='fail',
    full_refresh=false,
) }}
{%- set plan = assignments_plan() %}
{%- if plan.mode == 'frozen' %}
{%- do log(this.identifier ~ ': ' ~ plan.reason, info=true) %}
{%- endif %}
{%- set fallback_team = sql_string(project_var('routing_fallback_team')) %}

-- sqlfluff:indentation:template_blocks_indent:False
-- (CTEs switched on and off by if-blocks stay at the CTE level)
with

matches as (

    select * from {{ ref('int_lead_routing_matches') }}
    {%- if plan.mode == 'frozen' %}
    where 1 = 0
    {%- endif %}

),

owners as (

    select * from {{ ref('stg_raw__owners') }}

),

team_owners as (

    -- the owners a team shares new leads among
    select
        owner_id,
        team,
        capacity
    from owners
    where active and capacity > 0

),

stages as (

    select
        lead_id,
        model,
        lifecycle_stage
    from {{ ref('int_lead_stages') }}

),

stored as (

    -- the assignments so far (none on a first build)
    {%- if plan.mode != 'full' %}
    select * from {{ this }}
    {%- else %}
    select
        {%- for column in ['lead_id', 'model', 'owner_id', 'team'] %}
        cast(null as {{ dbt.type_string() }}) as {{ column }},
        {%- endfor %}
        cast(null as {{ dbt.type_timestamp() }}) as assigned_at
    where 1 = 0
    {%- endif %}

),

decisions as (

    select
        matches.lead_id,
        matches.model,
        matches.routing_rule_id,
        matches.team,
        matches.rule_owner_id,
        stored.owner_id as stored_owner_id,
        stored.assigned_at as stored_assigned_at,
        case
            when stored.lead_id is null then 'new'
            when stored.owner_id is null then 'queued'
            when not coalesce(stored_owners.active, false) then 'owner_inactive'
            when matches.reassign and matches.team <> stored.team then 'rule_reassigns'
            else 'keep'
        end as decision
    from matches
    left join stored
        on matches.lead_id = stored.lead_id
            and matches.model = stored.model
    left join owners as stored_owners
        on stored.owner_id = stored_owners.owner_id

),

to_route as (

    select * from decisions
    where decision <> 'keep'

),

direct as (

    -- a rule naming an active owner
    select
        to_route.lead_id,
        to_route.model,
        owners.owner_id
    from to_route
    inner join owners
        on to_route.rule_owner_id = owners.owner_id
    where owners.active

),

team_leads as (

    select
        to_route.lead_id,
        to_route.model,
        to_route.team,
        row_number() over (
            partition by to_route.team
            order by {{ row_hash(['to_route.lead_id', 'to_route.model']) }}, to_route.lead_id, to_route.model
        ) as lead_rank
    from to_route
    left join direct
        on to_route.lead_id = direct.lead_id
            and to_route.model = direct.model
    where to_route.team is not null
        and direct.lead_id is null

),

open_loads as (

    -- each owner's open leads that stay with them
    select
        stored.owner_id,
        count(*) as open_leads
    from stored
    inner join stages
        on stored.lead_id = stages.lead_id
            and stored.model = stages.model
    left join to_route
        on stored.lead_id = to_route.lead_id
            and stored.model = to_route.model
    where stages.lifecycle_stage in ('mql', 'sal', 'sql')
        and stored.owner_id is not null
        and to_route.lead_id is null
    group by stored.owner_id

),

slots as (

    -- slot k of an owner: its k-th new lead, ordered by the owner's load per capacity after it
    select
        team_owners.team,
        team_owners.owner_id,
        team_leads.lead_rank as slot,
        (coalesce(open_loads.open_leads, 0) + team_leads.lead_rank) / team_owners.capacity as load_after
    from team_owners
    inner join team_leads
        on team_owners.team = team_leads.team
    left join open_loads
        on team_owners.owner_id = open_loads.owner_id

),

ranked_slots as (

    select
        *,
        row_number() over (partition by team order by load_after, owner_id, slot) as slot_rank
    from slots

),

balanced as (

    select
        team_leads.lead_id,
        team_leads.model,
        ranked_slots.owner_id
    from team_leads
    inner join ranked_slots
        on team_leads.team = ranked_slots.team
            and team_leads.lead_rank = ranked_slots.slot_rank

),

assigned as (

    select * from direct
    union all
    select * from balanced

),

final as (

    select
        to_route.lead_id,
        to_route.model,
        assigned.owner_id,
        cast(
            case when assigned.owner_id is null then {{ fallback_team }} else to_route.team end
            as {{ dbt.type_string() }}
        ) as team,
        to_route.routing_rule_id,
        cast(case
            when assigned.owner_id is not null then 'routed'
            when to_route.routing_rule_id is null then 'no_rule_matched'
            else 'no_active_owner'
        end as {{ dbt.type_string() }}) as routing_status,
        cast(
            case when to_route.decision = 'new' then null else to_route.decision end
            as {{ dbt.type_string() }}
        ) as rerouted_because,
        to_route.stored_owner_id as previous_owner_id,
        case
            -- a lead still waiting in the queue keeps the time it entered it
            when assigned.owner_id is null and to_route.decision = 'queued' then to_route.stored_assigned_at
            else {{ score_as_of() }}
        end as assigned_at
    from to_route
    left join assigned
        on to_route.lead_id = assigned.lead_id
            and to_route.model = assigned.model

)

{{ state_rows(plan) }}
