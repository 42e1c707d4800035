{#- The lifecycle stage of each (lead, model) scored as of T, from its scores at T, the sales
    outcomes at or before T (int_lead_sales_status) and its conversions at or before T. In order:
    customer (a conversion or a won deal), sql (the latest outcome is an opportunity), sal (it is
    accepted), disqualified, recycled (it is rejected or lost, and the lead has not come back as
    an MQL with activity after that), mql, lead (any engagement score), subscriber (none). Read by
    lead_score_history (so lead_lifecycle_events records each change) and lead_stages. -#}
{{ config(materialized='table') }}

with

scores as (

    select * from {{ ref('int_lead_scores') }}

),

sales as (

    select * from {{ ref('int_lead_sales_status') }}

),

conversions as (

    select
        lead_id,
        min(converted_at) as first_converted_at
    from {{ ref('stg_raw__conversions') }}
    where converted_at <= {{ score_as_of() }}
    group by lead_id

),

joined as (

    select
        scores.lead_id,
        scores.model,
        scores.scored_at,
        scores.is_mql,
        scores.is_disqualified,
        scores.engagement_score,
        scores.last_activity_at,
        sales.sales_status,
        sales.sales_status_at,
        sales.sales_status_reason,
        sales.sales_status_owner_id,
        sales.first_accepted_at,
        sales.first_opportunity_at,
        sales.first_won_at,
        sales.last_rejected_at,
        sales.last_lost_at,
        {{ least_of('conversions.first_converted_at', 'sales.first_won_at') }} as customer_at
    from scores
    left join sales
        on scores.lead_id = sales.lead_id
    left join conversions
        on scores.lead_id = conversions.lead_id

),

final as (

    select
        *,
        cast(case
            when customer_at is not null then 'customer'
            when sales_status = 'opportunity' then 'sql'
            when sales_status = 'accepted' then 'sal'
            when is_disqualified then 'disqualified'
            when sales_status in ('rejected', 'lost')
                and not (is_mql and coalesce(last_activity_at > sales_status_at, false)) then 'recycled'
            when is_mql then 'mql'
            when engagement_score > 0 then 'lead'
            else 'subscriber'
        end as {{ dbt.type_string() }}) as lifecycle_stage
    from joined

)

select * from final
