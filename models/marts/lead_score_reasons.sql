{#- Why a lead has its points, for sales: per (lead, model) one row per matching rule with its
    contribution after the rule cap, one adjustment row per group whose cap cut its total, and,
    where rounding each row to 2 decimals leaves a remainder, one rounding row per dimension, so
    that the points of a dimension's rows add up exactly to fit_points / engagement_points.
    A view over int_lead_score_reasons: a rule row's group, source, field and description come
    from int_scoring_rules here instead of being written with every row (a rule's new
    description shows without a rebuild). -#}
{{ config(materialized='view') }}

with

reasons as (

    select * from {{ ref('int_lead_score_reasons') }}

),

rules as (

    select * from {{ ref('int_scoring_rules') }}

),

final as (

    select
        reasons.lead_id,
        reasons.model,
        reasons.rule_id,
        reasons.reason_type,
        reasons.dimension,
        case when reasons.reason_type = 'rule' then rules.rule_group else reasons.rule_group end as rule_group,
        case when reasons.reason_type = 'rule' then rules.source else reasons.source end as source,
        case when reasons.reason_type = 'rule' then rules.field else reasons.field end as field,
        case when reasons.reason_type = 'rule' then rules.description else reasons.description end as description,
        reasons.matched_events,
        reasons.is_disqualifying,
        reasons.raw_points,
        reasons.points
    from reasons
    left join rules
        on reasons.model = rules.model
            and reasons.rule_id = rules.rule_id

)

select * from final
