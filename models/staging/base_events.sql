{#- Every raw event row, typed and cleaned, with the reason it is rejected (null when valid).
    Order: each row is validated first; among the valid rows a duplicate event_id keeps the copy
    with the earliest occurred_at (exact ties: the lowest row_hash) and the others are quarantined
    as duplicate_event_id. So raw rows = staged rows + quarantined rows. -#}
{{ config(materialized='table') }}

with

source as (

    select * from {{ source('raw', 'events') }}

),

known_leads as (

    select lead_id from {{ ref('stg_leads') }}

),

cleaned as (

    select
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('lead_id') }} as lead_id,
        lower({{ clean_text('event_type') }}) as event_type,
        lower({{ clean_text('event_detail') }}) as event_detail,
        {{ clean_text('occurred_at') }} as occurred_at_raw,
        {{ safe_cast('occurred_at', dbt.type_timestamp()) }} as occurred_at,
        {{ row_hash(['event_id', 'lead_id', 'event_type', 'event_detail', 'occurred_at']) }} as row_hash
    from source

),

validated as (

    select
        cleaned.*,
        case
            when cleaned.event_id is null then 'missing_event_id'
            when cleaned.lead_id is null then 'missing_lead_id'
            when cleaned.event_type is null then 'missing_event_type'
            when cleaned.occurred_at_raw is null then 'missing_occurred_at'
            when cleaned.occurred_at is null then 'unparseable_occurred_at'
            when cleaned.occurred_at < cast('{{ var("min_plausible_timestamp") }}' as {{ dbt.type_timestamp() }})
                then 'implausible_occurred_at'
            when known_leads.lead_id is null then 'unknown_lead'
        end as validation_reason
    from cleaned
    left join known_leads
        on cleaned.lead_id = known_leads.lead_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by event_id, case when validation_reason is null then 1 else 0 end
            order by occurred_at, row_hash
        ) as copy_rank
    from validated

),

final as (

    select
        event_id,
        lead_id,
        event_type,
        event_detail,
        occurred_at_raw,
        occurred_at,
        row_hash,
        case
            when validation_reason is not null then validation_reason
            when copy_rank > 1 then 'duplicate_event_id'
        end as quarantine_reason
    from ranked

)

select * from final
