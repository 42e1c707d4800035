{#- Points per (lead, model, dimension, capped group): the sum of its rules' contributions, the
    total after the group cap of scoring_groups, and the cap adjustment (total - sum). Rules
    without a group, or whose group has no scoring_groups row, are uncapped and summed together
    under capped_group = null. fit_points / engagement_points are the sums of points_total. -#}
with

contributions as (

    select * from {{ ref('int_lead_rule_contributions') }}

),

groups as (

    select * from {{ ref('stg_scoring_config__groups') }}

),

assigned as (

    select
        contributions.lead_id,
        contributions.model,
        contributions.dimension,
        groups.rule_group as capped_group,
        groups.max_points as group_max_points,
        contributions.contribution
    from contributions
    left join groups
        on contributions.model = groups.model
            and contributions.rule_group = groups.rule_group

),

summed as (

    select
        lead_id,
        model,
        dimension,
        capped_group,
        group_max_points,
        sum(contribution) as points_before_cap
    from assigned
    group by lead_id, model, dimension, capped_group, group_max_points

),

final as (

    select
        lead_id,
        model,
        dimension,
        capped_group,
        group_max_points,
        points_before_cap,
        {{ cap_points('points_before_cap', 'group_max_points') }} as points_total,
        {{ cap_points('points_before_cap', 'group_max_points') }} - points_before_cap as cap_adjustment
    from summed

)

select * from final
