{#- The outbox: one row per action a trigger (seeds/score_triggers.csv) emitted, append-only. A
    trigger fires on an event of its model and type (int_lead_action_events) when its value
    matches: the new band, grades or stage; for score_crossed the lead's score reached the value
    from below since the scoring before. action_id is a hash of (model, trigger, lead, event type,
    event time), so a re-run, a re-run of an earlier as-of or a backfill never emits an action
    twice; created_at is the start of the run that emitted it, which `leadscore export --table
    lead_actions` uses as its watermark. The payload is a JSON object of the trigger's fields.
    Nothing here sends anything: a reverse-ETL tool or an orchestrator acts on the rows. -#}
{{ config(
    materialized=state_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    full_refresh=false,
) }}
{{ assert_valid_scoring_config() }}

-- sqlfluff:indentation:template_blocks_indent:False
-- (CTEs switched on and off by if-blocks stay at the CTE level)
with

events as (

    select * from {{ ref('int_lead_action_events') }}

),

triggers as (

    select * from {{ ref('stg_scoring_config__score_triggers') }}

),

fired as (

    select
        events.*,
        triggers.trigger_id,
        triggers.action,
        triggers.target,
        coalesce(triggers.payload_fields, 'lead_id|model|event_type') as payload_fields
    from events
    inner join triggers
        on events.model = triggers.model
            and events.event_type = triggers.event_type
    where case
            when triggers.event_type = 'score_crossed'
                then coalesce(events.previous_total_score, 0) < triggers.value_number
                    and events.total_score >= triggers.value_number
            when triggers.value is null then true
            when triggers.event_type in ('band_changed', 'stage_changed')
                then lower(events.value_after) = lower(triggers.value)
            else events.value_after = triggers.value
        end

),

actions as (

    select
        {{ dbt.hash(dbt.concat(['model', "'|'", 'trigger_id', "'|'", 'lead_id', "'|'", 'event_type', "'|'",
            'cast(event_at as ' ~ dbt.type_string() ~ ')'])) }} as action_id,
        lead_id,
        model,
        trigger_id,
        action,
        target,
        event_type,
        event_at,
        owner_id,
        team,
        {{ action_payload('payload_fields') }} as payload
    from fired

),

{%- if state_is_incremental() %}

emitted as (

    select action_id from {{ this }}

),

{%- endif %}

final as (

    select
        cast(actions.action_id as {{ dbt.type_string() }}) as action_id,
        actions.lead_id,
        actions.model,
        actions.trigger_id,
        actions.action,
        actions.target,
        actions.event_type,
        actions.event_at,
        actions.owner_id,
        actions.team,
        cast(actions.payload as {{ dbt.type_string() }}) as payload,
        {{ score_as_of() }} as as_of,
        {{ run_started_at_literal() }} as created_at
    from actions
    {%- if state_is_incremental() %}
left join emitted
    on actions.action_id = emitted.action_id
where emitted.action_id is null
    {%- endif %}

)

{{ state_rows(none) }}
