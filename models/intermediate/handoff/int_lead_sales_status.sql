{#- What sales decided about each lead as of T, one row per lead with an outcome at or before T:
    the latest outcome (ties at the same time: won, opportunity, accepted, lost, rejected), with
    its reason and owner, and when the lead was first accepted, first an opportunity and first won
    and last rejected or lost. Outcomes after T are ignored (point in time). Feeds the lifecycle
    stage and the sales attributes rules can score (sales_status, days_since_sales_*). -#}
{{ config(materialized='table') }}

with

outcomes as (

    select * from {{ ref('stg_raw__sales_outcomes') }}
    where occurred_at <= {{ score_as_of() }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by lead_id
            order by
                occurred_at desc,
                case status
                    when 'won' then 1
                    when 'opportunity' then 2
                    when 'accepted' then 3
                    when 'lost' then 4
                    else 5
                end,
                owner_id asc,
                reason asc
        ) as recency_rank
    from outcomes

),

milestones as (

    select
        lead_id,
        min(case when status = 'accepted' then occurred_at end) as first_accepted_at,
        min(case when status = 'opportunity' then occurred_at end) as first_opportunity_at,
        min(case when status = 'won' then occurred_at end) as first_won_at,
        max(case when status = 'rejected' then occurred_at end) as last_rejected_at,
        max(case when status = 'lost' then occurred_at end) as last_lost_at
    from outcomes
    group by lead_id

),

final as (

    select
        ranked.lead_id,
        ranked.status as sales_status,
        ranked.occurred_at as sales_status_at,
        ranked.reason as sales_status_reason,
        ranked.owner_id as sales_status_owner_id,
        milestones.first_accepted_at,
        milestones.first_opportunity_at,
        milestones.first_won_at,
        milestones.last_rejected_at,
        milestones.last_lost_at
    from ranked
    inner join milestones
        on ranked.lead_id = milestones.lead_id
    where ranked.recency_rank = 1

)

select * from final
