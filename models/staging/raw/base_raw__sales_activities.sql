{#- Every raw sales activity row (raw.sales_activities, optional): a call, email, meeting or other
    touch by a salesperson, typed, with the reason it is rejected (null when kept). Like events, a
    duplicate activity_id keeps the copy with the earliest occurred_at (ties: lead, owner, type,
    load time) and quarantines the others; an owner must be in raw.owners when that table has
    rows. loaded_at (optional) is kept for freshness checks. -#}
{%- set types = raw_column_types('sales_activities') %}

with

source as (

    {{ optional_raw_table('sales_activities') }}

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
        {{ clean_text('activity_id') }} as activity_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('owner_id') }} as owner_id,
        lower({{ clean_text('activity_type') }}) as activity_type,
        {{ clean_text('occurred_at') }} as occurred_at_raw,
        {{ utc_timestamp('occurred_at', types.get('occurred_at', '')) }} as occurred_at,
        {%- if 'loaded_at' in types or not types %}
            {{ utc_timestamp(optional_raw_column('loaded_at', types), types.get('loaded_at', '')) }} as loaded_at
        {%- else %}
        cast(null as {{ dbt.type_timestamp() }}) as loaded_at
        {%- endif %}
    from source

),

validated as (

    select
        cleaned.*,
        case
            when cleaned.activity_id is null then 'missing_activity_id'
            when cleaned.lead_id is null then 'missing_lead_id'
            when cleaned.activity_type is null then 'missing_activity_type'
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
            partition by activity_id, case when validation_reason is null then 0 else 1 end
            order by occurred_at, lead_id, owner_id, activity_type, loaded_at
        ) as copy_rank
    from validated

),

final as (

    select
        activity_id,
        lead_id,
        owner_id,
        activity_type,
        occurred_at_raw,
        occurred_at,
        loaded_at,
        coalesce(
            validation_reason,
            case when copy_rank > 1 then 'duplicate_activity_id' end
        ) as quarantine_reason
    from ranked

)

select * from final
