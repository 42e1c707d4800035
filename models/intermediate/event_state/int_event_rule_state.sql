{#- Incremental engagement state: one row per (lead, model, event rule without window_days)
    with the number of counted events and their decayed points as of state_as_of:
    sum of points * 0.5 ^ ((state_as_of - occurred_at) / h). A rule with once_per_days counts
    the first qualifying event of each period (event_period) and stores the latest period it
    counted, so a later run skips that period's new events. Exponential decay makes it
    advanceable: at a later T the sum is decayed_points * 0.5 ^ ((T - state_as_of) / h) plus
    the decayed points of the events that arrived since (int_event_rule_matches does the first
    part for rows this run did not touch).

    A run folds in the staged events processed since the watermark (events_processed_at), late
    ones included whatever their occurred_at, and those that happened after the previous as-of;
    a lead one of whose event_ids got a new copy, or with a late event (at or before the previous
    as-of) of a type a once_per_days rule reads, is recomputed from all its events; a model whose
    rules changed (config_hash) is rebuilt; base_raw__events rebuilt or an earlier as-of rebuilds all.
    Rules with window_days are not kept here: they are recomputed from their window each run.
    Leads are not filtered here (a lead may arrive after its events): scoring joins the leads. -#}
{#- on_schema_change: a state stored by an older version lacks last_period; the plan rebuilds it
    and the column is added -#}
{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['lead_id', 'model', 'rule_id'],
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_rebuilt_state(event_state_plan(by_model=true, required_columns=['last_period'])) }}",
) }}
{%- set plan = event_state_plan(by_model=true, required_columns=['last_period']) %}
{{- log_state_plan(plan) }}
{#- reading all the events (a full build), the rules are matched once per distinct (type, detail)
    of the staged events; a run's few new events are matched directly -#}
{%- set event_pairs_from = ref('base_raw__events') if plan.mode == 'full' else none %}

-- sqlfluff:indentation:template_blocks_indent:False
-- (CTEs switched on and off by if-blocks stay at the CTE level)
with

rules as (

    -- numbered: the sums below group the event x rule matches (tens of millions) by (lead, number)
    -- instead of (lead, model, rule_id), and the texts are joined back once per (lead, rule)
    select
        *,
        row_number() over (order by model, rule_id) as rule_number
    from {{ ref('int_event_rules') }}
    where window_days is null

),

rule_values as (

    select * from {{ ref('int_scoring_rule_values') }}

),

{%- if plan.mode != 'full' %}

dirty_leads as (

    {{ event_state_dirty_leads(plan, late_types='select field from rules where once_per_days is not null') }}

),

{%- endif %}

changed_events as (

    {{ event_state_events(plan) }}

),

{%- if plan.rebuild_models %}

rebuilt_model_events as (

    {{ event_state_events({'mode': 'full'}) }}

),

rebuilt_model_rules as (

    select * from rules
    where model in {{ sql_string_list(plan.rebuild_models) }}

),

advanced_model_rules as (

    select * from rules
    where model not in {{ sql_string_list(plan.rebuild_models) }}

),

matches as (

    {{ qualifying_event_rules('changed_events', 'advanced_model_rules', 'rule_values', carry=['rule_number', 'once_per_days'],
        pairs_from=event_pairs_from) }}
    union all
    {{ qualifying_event_rules('rebuilt_model_events', 'rebuilt_model_rules', 'rule_values', carry=['rule_number', 'once_per_days'],
        pairs_from=ref('base_raw__events')) }}

),

{%- else %}

matches as (

    {{ qualifying_event_rules('changed_events', 'rules', 'rule_values', carry=['rule_number', 'once_per_days'],
        pairs_from=event_pairs_from) }}

),

{%- endif %}

{%- if plan.mode != 'full' %}

previous as (

    -- on Spark a state_table keeps the rows of the models it rebuilds until the swap (no delete)
    {%- set rebuilt = rebuilt_state_condition(plan) %}
    select * from {{ this }}
    {%- if rebuilt %}
    where not ({{ rebuilt }})
    {%- endif %}

),

{%- endif %}

rule_sums as (

    -- rules without once_per_days: per (lead, rule number) at once, every event counting
    select
        lead_id,
        rule_number,
        change_kind,
        count(*) as matched_events,
        sum(points * {{ decay_factor(age_days('occurred_at'), 'half_life_days') }}) as decayed_points,
        cast(null as {{ dbt.type_bigint() }}) as last_period
    from matches
    where once_per_days is null
    group by lead_id, rule_number, change_kind

),

matches_by_period as (

    -- once_per_days: the periods with a qualifying event, each with its first event
    select
        lead_id,
        rule_number,
        change_kind,
        {{ event_period('occurred_at', 'once_per_days') }} as event_period,
        min(occurred_at) as first_occurred_at
    from matches
    where once_per_days is not null
    group by lead_id, rule_number, change_kind, {{ event_period('occurred_at', 'once_per_days') }}

),

period_sums as (

    -- a period counts once, with the age of its first event - on a clean lead the period the
    -- state counted last is already in the stored sum
    select
        matches_by_period.lead_id,
        matches_by_period.rule_number,
        matches_by_period.change_kind,
        count(*) as matched_events,
        sum(rules.points * {{ decay_factor(age_days('matches_by_period.first_occurred_at'), 'rules.half_life_days') }})
            as decayed_points,
        max(matches_by_period.event_period) as last_period
    from matches_by_period
    inner join rules
        on matches_by_period.rule_number = rules.rule_number
    {%- if plan.mode != 'full' %}
    left join previous
        on matches_by_period.change_kind = 'add'
            and matches_by_period.event_period = previous.last_period
            and matches_by_period.lead_id = previous.lead_id
            and rules.model = previous.model
            and rules.rule_id = previous.rule_id
    where previous.lead_id is null
    {%- endif %}
    group by matches_by_period.lead_id, matches_by_period.rule_number, matches_by_period.change_kind

),

folded as (

    -- the rule's model and id only now, on one row per (lead, rule)
    select
        numbered.lead_id,
        rules.model,
        rules.rule_id,
        rules.half_life_days,
        numbered.change_kind,
        numbered.matched_events,
        numbered.decayed_points,
        numbered.last_period
    from (
        select * from rule_sums
        union all
        select * from period_sums
    ) as numbered
    inner join rules
        on numbered.rule_number = rules.rule_number

),

{%- if plan.mode == 'full' %}

advanced as (

    -- a full build: every (lead, rule) from all its events
    select
        lead_id,
        model,
        rule_id,
        matched_events,
        decayed_points,
        last_period
    from folded

),

{%- else %}

previous_flagged as (

    -- the stored rows, with a recomputed (dirty) lead's sums taken out: its rows stay, so a
    -- rule of a dirty lead that no longer matches any event is zeroed
    select
        previous.lead_id,
        previous.model,
        previous.rule_id,
        previous.state_as_of,
        case when dirty_leads.lead_id is null then 0 else 1 end as is_dirty,
        case when dirty_leads.lead_id is null then previous.matched_events end as matched_events,
        case when dirty_leads.lead_id is null then previous.decayed_points end as decayed_points,
        case when dirty_leads.lead_id is null then previous.last_period end as last_period
    from previous
    left join dirty_leads
        on previous.lead_id = dirty_leads.lead_id

),

advanced as (

    -- one join, so folded is read once (Spark repeats a CTE's work wherever it is read): the
    -- sums of a (lead, rule)'s changes ('add': its new events, 'recompute': all of a dirty
    -- lead's or a rebuilt model's) added to its stored sum decayed from the stored as-of to T.
    -- Other stored rows are left as they are (int_event_rule_matches decays them).
    select
        coalesce(folded.lead_id, previous_flagged.lead_id) as lead_id,
        coalesce(folded.model, previous_flagged.model) as model,
        coalesce(folded.rule_id, previous_flagged.rule_id) as rule_id,
        coalesce(folded.matched_events, 0) + coalesce(previous_flagged.matched_events, 0) as matched_events,
        coalesce(folded.decayed_points, 0.0) + coalesce(previous_flagged.decayed_points * {{ decay_factor(
            age_days('previous_flagged.state_as_of'), 'folded.half_life_days') }}, 0.0) as decayed_points,
        coalesce(folded.last_period, previous_flagged.last_period) as last_period
    from folded
    full outer join previous_flagged
        on folded.lead_id = previous_flagged.lead_id
            and folded.model = previous_flagged.model
            and folded.rule_id = previous_flagged.rule_id
    where folded.lead_id is not null or previous_flagged.is_dirty = 1

),

{%- endif %}

model_hashes as (

    select distinct
        model,
        config_hash
    from rules

),

base_events_stamp as (

    select
        max(processed_at) as events_processed_at,
        max(generation) as events_generation
    from {{ ref('base_raw__events') }}

),

with_markers as (

    select * from advanced
    union all
    -- one marker row per model (lead_id and rule_id '' - clean_text makes real ids non-blank),
    -- rewritten every run, so the stored as-of, watermark and config_hash are this run's
    select
        '' as lead_id,
        model,
        '' as rule_id,
        0 as matched_events,
        0.0 as decayed_points,
        cast(null as {{ dbt.type_bigint() }}) as last_period
    from model_hashes

),

final as (

    select
        with_markers.lead_id,
        with_markers.model,
        with_markers.rule_id,
        cast(with_markers.matched_events as {{ dbt.type_bigint() }}) as matched_events,
        cast(with_markers.decayed_points as {{ type_double() }}) as decayed_points,
        cast(with_markers.last_period as {{ dbt.type_bigint() }}) as last_period,
        {{ score_as_of() }} as state_as_of,
        base_events_stamp.events_processed_at,
        base_events_stamp.events_generation,
        model_hashes.config_hash
    from with_markers
    inner join model_hashes
        on with_markers.model = model_hashes.model
    cross join base_events_stamp

)

{{ state_rows(plan) }}
