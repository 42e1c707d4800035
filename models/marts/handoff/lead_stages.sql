{#- The lifecycle stage of every (lead, model) scored as of T (int_lead_stages) with when the lead
    entered it and when it first reached each stage: the sales stages and customer at the time of
    the outcome or conversion; mql, disqualified, lead and subscriber at the as-of of the latest
    stage_changed event into the stage (lead_lifecycle_events; the as-of at which scoring saw it).
    The latest sales outcome, its reason and owner come along for the CRM. -#}
with

stages as (

    select * from {{ ref('int_lead_stages') }}

),

scores as (

    select * from {{ ref('lead_scores') }}

),

stage_events as (

    select
        lead_id,
        model,
        value_after as lifecycle_stage,
        max(occurred_at) as entered_at
    from {{ ref('lead_lifecycle_events') }}
    where event_type = 'stage_changed'
        and occurred_at <= {{ score_as_of() }}
    group by lead_id, model, value_after

),

final as (

    select
        stages.lead_id,
        stages.model,
        stages.scored_at,
        stages.lifecycle_stage,
        case
            when stages.lifecycle_stage = 'customer' then stages.customer_at
            when stages.lifecycle_stage in ('sql', 'sal', 'recycled') then stages.sales_status_at
            else coalesce(stage_events.entered_at, stages.scored_at)
        end as stage_entered_at,
        scores.first_mql_at as became_mql_at,
        stages.first_accepted_at as became_sal_at,
        stages.first_opportunity_at as became_sql_at,
        stages.customer_at as became_customer_at,
        {{ greatest_of('stages.last_rejected_at', 'stages.last_lost_at') }} as recycled_at,
        stages.sales_status,
        stages.sales_status_at,
        stages.sales_status_reason,
        stages.sales_status_owner_id
    from stages
    inner join scores
        on stages.lead_id = scores.lead_id
            and stages.model = scores.model
    left join stage_events
        on stages.lead_id = stage_events.lead_id
            and stages.model = stage_events.model
            and stages.lifecycle_stage = stage_events.lifecycle_stage

)

select * from final
