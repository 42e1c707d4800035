{#- Every raw event row, typed and cleaned, with the reason it is rejected (null when valid).
    Order: each row is validated first; among the valid rows a duplicate event_id keeps the copy
    with the earliest occurred_at (exact ties: the lowest hash of the row's values) and the others
    are quarantined as duplicate_event_id. So raw rows = staged rows + quarantined rows. -#}
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
        {{ safe_cast('occurred_at', dbt.type_timestamp()) }} as occurred_at
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

-- only ids that occur more than once among the valid rows need ranking: a hash aggregate here
-- is far cheaper than sorting every event by event_id
duplicated_ids as (

    select event_id
    from validated
    where validation_reason is null
    group by event_id
    having count(*) > 1

),

single_copies as (

    select
        validated.event_id,
        validated.lead_id,
        validated.event_type,
        validated.event_detail,
        validated.occurred_at_raw,
        validated.occurred_at,
        validated.validation_reason as quarantine_reason
    from validated
    left join duplicated_ids
        on validated.event_id = duplicated_ids.event_id
            and validated.validation_reason is null
    where duplicated_ids.event_id is null

),

ranked_copies as (

    select
        validated.*,
        row_number() over (
            partition by validated.event_id
            order by
                validated.occurred_at,
                {{ row_hash(['validated.event_id', 'validated.lead_id', 'validated.event_type',
                    'validated.event_detail', 'validated.occurred_at']) }}
        ) as copy_rank
    from validated
    inner join duplicated_ids
        on validated.event_id = duplicated_ids.event_id
    where validated.validation_reason is null

),

final as (

    select * from single_copies
    union all
    select
        event_id,
        lead_id,
        event_type,
        event_detail,
        occurred_at_raw,
        occurred_at,
        case when copy_rank > 1 then 'duplicate_event_id' end as quarantine_reason
    from ranked_copies

)

select * from final
