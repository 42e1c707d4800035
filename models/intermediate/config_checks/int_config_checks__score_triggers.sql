{#- The problems of seeds/score_triggers.csv, one row each: the seed file, the model, the row and
    the fix. Checked: the model exists; trigger_id is given and unique per model; the event type and
    the action are known; score_crossed has a score from 0 to 100, band_changed a band of the model
    and stage_changed a stage (or blank), the events without a value a blank value; lists, tasks
    and webhooks name their target; every payload field is one a payload may carry. -#}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

triggers as (

    select * from {{ ref('stg_scoring_config__score_triggers') }}

),

bands as (

    select
        model,
        lower(label) as label
    from {{ ref('stg_scoring_config__thresholds') }}
    where dimension = 'total'

),

listed_fields as (

    select
        model,
        trigger_id,
        {{ split_to_rows('payload_fields') }} as field
    from triggers
    where payload_fields is not null

),

id_counts as (

    select
        model,
        trigger_id,
        count(*) as n_rows
    from triggers
    where trigger_id is not null
    group by model, trigger_id

),

problems as (

    select
        triggers.model,
        triggers.trigger_id,
        'the model is not in seeds/scoring_models.csv.' as problem
    from triggers
    left join models
        on triggers.model = models.model
    where models.model is null
    union all
    select
        model,
        trigger_id,
        'trigger_id is blank. Fix: name the trigger.'
    from triggers
    where trigger_id is null
    union all
    select
        model,
        trigger_id,
        'the trigger_id is listed more than once. Fix: give each trigger of a model its own trigger_id.'
    from id_counts
    where n_rows > 1
    union all
    select
        model,
        trigger_id,
        {{ dbt.concat(["'event_type '", "coalesce(event_type, '(blank)')",
            "' is not an event a trigger fires on. Fix: use one of " ~ trigger_event_types() | join(', ') ~ ".'"]) }}
    from triggers
    where event_type is null
        or event_type not in {{ sql_string_list(trigger_event_types()) }}
    union all
    select
        model,
        trigger_id,
        {{ dbt.concat(["'action '", "coalesce(action, '(blank)')",
            "' is not an action. Fix: use one of " ~ trigger_actions() | join(', ') ~ ".'"]) }}
    from triggers
    where action is null
        or action not in {{ sql_string_list(trigger_actions()) }}
    union all
    select
        model,
        trigger_id,
        'score_crossed needs value, the score from 0 to 100 the lead reaches from below. Fix: e.g. 90.'
    from triggers
    where event_type = 'score_crossed'
        and not coalesce(value_number >= 0 and value_number <= 100, false)
    union all
    select
        triggers.model,
        triggers.trigger_id,
        {{ dbt.concat(["'value '", "triggers.value",
            "' is not a band of the model in seeds/score_thresholds.csv. Fix: use one of its total labels, or leave it blank for any band.'"]) }}
    from triggers
    left join bands
        on triggers.model = bands.model
            and lower(triggers.value) = bands.label
    where triggers.event_type = 'band_changed'
        and triggers.value is not null
        and bands.label is null
    union all
    select
        model,
        trigger_id,
        {{ dbt.concat(["'value '", "value",
            "' is not a lifecycle stage. Fix: use subscriber, lead, mql, sal, sql, customer, recycled or disqualified, or leave it blank.'"]) }}
    from triggers
    where event_type = 'stage_changed'
        and value is not null
        and lower(value) not in ('subscriber', 'lead', 'mql', 'sal', 'sql', 'customer', 'recycled', 'disqualified')
    union all
    select
        model,
        trigger_id,
        {{ dbt.concat(["event_type", "' takes no value. Fix: leave value blank.'"]) }}
    from triggers
    where event_type in ('became_mql', 'left_mql', 'disqualified', 'requalified', 'sla_breached')
        and value is not null
    union all
    select
        model,
        trigger_id,
        {{ dbt.concat(["action", "' needs a target (the list, the task subject or the endpoint name). Fix: fill in target.'"]) }}
    from triggers
    where action in ('add_to_crm_list', 'create_task', 'webhook')
        and target is null
    union all
    select
        model,
        trigger_id,
        {{ dbt.concat(["'payload field '", "coalesce(field, '(blank)')",
            "' is not one a payload may carry. Fix: use " ~ trigger_payload_fields().keys() | join(', ') ~ ", separated by |.'"]) }}
    from listed_fields
    where field is null
        or field not in {{ sql_string_list(trigger_payload_fields().keys() | list) }}

),

final as (

    select
        'seeds/score_triggers.csv' as seed_file,
        model,
        {{ dbt.concat(["'trigger '", "coalesce(trigger_id, '(blank)')"]) }} as row_key,
        problem
    from problems

)

select * from final
