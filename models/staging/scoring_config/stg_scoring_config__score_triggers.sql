{#- The score_triggers seed, typed: per model, the lifecycle events that emit an action to the
    lead_actions outbox, with the action, its target and the payload fields. -#}
with

source as (

    select * from {{ ref('score_triggers') }}

),

final as (

    select
        {{ clean_seed_text('model') }} as model,
        {{ clean_seed_text('trigger_id') }} as trigger_id,
        lower({{ clean_seed_text('event_type') }}) as event_type,
        {{ clean_seed_text('value') }} as value,
        {{ safe_cast(clean_seed_text('value'), type_double()) }} as value_number,
        lower({{ clean_seed_text('action') }}) as action,
        {{ clean_seed_text('target') }} as target,
        lower(replace({{ clean_seed_text('payload_fields') }}, ' ', '')) as payload_fields,
        {{ clean_seed_text('description') }} as description
    from source

)

select * from final
