{#- Points per (lead, model, dimension, capped group): the sum of its rules' contributions, the
    total after the group cap of scoring_groups, and the cap adjustment (total - sum). Rules
    without a group, or whose group has no scoring_groups row, are uncapped and summed together
    under capped_group = null. fit_points / engagement_points are the sums of points_total. -#}
with

contributions as (

    select * from {{ ref('int_lead_rule_contributions') }}

),

rules as (

    select * from {{ ref('int_scoring_rules') }}

),

groups as (

    select * from {{ ref('int_scoring_groups') }}

),

rule_groups as (

    -- each rule's (model, dimension, capped group), numbered: the sum below then groups the
    -- 22M contributions of 1M leads by (lead, number) instead of by the four columns, about half
    -- the time; this view is read twice per run (scores and reason adjustments)
    select
        rules.model,
        rules.rule_id,
        rules.dimension,
        groups.rule_group as capped_group,
        groups.max_points as group_max_points,
        dense_rank() over (order by rules.model, rules.dimension, groups.rule_group) as group_key
    from rules
    left join groups
        on rules.model = groups.model
            and rules.rule_group = groups.rule_group

),

summed as (

    select
        contributions.lead_id,
        rule_groups.group_key,
        sum(contributions.contribution) as points_before_cap
    from contributions
    inner join rule_groups
        on contributions.model = rule_groups.model
            and contributions.rule_id = rule_groups.rule_id
    group by contributions.lead_id, rule_groups.group_key

),

numbered_groups as (

    select distinct
        group_key,
        model,
        dimension,
        capped_group,
        group_max_points
    from rule_groups

),

final as (

    select
        summed.lead_id,
        numbered_groups.model,
        numbered_groups.dimension,
        numbered_groups.capped_group,
        numbered_groups.group_max_points,
        summed.points_before_cap,
        {{ cap_points('summed.points_before_cap', 'numbered_groups.group_max_points') }} as points_total,
        {{ cap_points('summed.points_before_cap', 'numbered_groups.group_max_points') }}
            - summed.points_before_cap as cap_adjustment
    from summed
    inner join numbered_groups
        on summed.group_key = numbered_groups.group_key

)

select * from final
