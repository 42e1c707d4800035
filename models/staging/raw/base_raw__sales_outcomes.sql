{#- Every raw sales outcome row (raw.sales_outcomes, optional): what sales decided about a lead,
    typed, with the reason it is rejected (null when kept). status is one of accepted, rejected,
    opportunity, won, lost (any case, padded or not). An owner must be in raw.owners when that
    table has rows; the same (lead, status, time) given twice keeps one row. -#}
{%- set types = raw_column_types('sales_outcomes') %}

with

source as (

    {{ optional_raw_table('sales_outcomes') }}

),

known_leads as (

    select lead_id from {{ ref('stg_raw__leads') }}

),

owners as (

    select distinct owner_id from {{ ref('base_raw__owners') }}
    where owner_id is not null

),

owner_count as (

    select count(*) as owners from owners

),

cleaned as (

    select
        {{ clean_text('lead_id') }} as lead_id,
        lower({{ clean_text('status') }}) as status,
        {{ clean_text(optional_raw_column('reason', types)) }} as reason,
        {{ clean_text('owner_id') }} as owner_id,
        {{ clean_text('occurred_at') }} as occurred_at_raw,
        {{ utc_timestamp('occurred_at', types.get('occurred_at', '')) }} as occurred_at
    from source

),

validated as (

    select
        cleaned.*,
        case
            when cleaned.lead_id is null then 'missing_lead_id'
            when cleaned.status is null then 'missing_status'
            when cleaned.status not in ('accepted', 'rejected', 'opportunity', 'won', 'lost') then 'unknown_status'
            when cleaned.occurred_at_raw is null then 'missing_occurred_at'
            when cleaned.occurred_at is null then 'unparseable_occurred_at'
            when cleaned.occurred_at < {{ min_plausible_timestamp() }} then 'implausible_occurred_at'
            when known_leads.lead_id is null then 'unknown_lead'
            when cleaned.owner_id is not null and owner_count.owners > 0 and owners.owner_id is null
                then 'unknown_owner'
        end as validation_reason
    from cleaned
    cross join owner_count
    left join known_leads
        on cleaned.lead_id = known_leads.lead_id
    left join owners
        on cleaned.owner_id = owners.owner_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by lead_id, status, occurred_at, case when validation_reason is null then 0 else 1 end
            order by owner_id, reason
        ) as copy_rank
    from validated

),

final as (

    select
        lead_id,
        status,
        reason,
        owner_id,
        occurred_at_raw,
        occurred_at,
        coalesce(
            validation_reason,
            case when copy_rank > 1 then 'duplicate_outcome' end
        ) as quarantine_reason
    from ranked

)

select * from final
