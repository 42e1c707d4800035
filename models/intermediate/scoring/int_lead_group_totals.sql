{#- Points per (lead, model, dimension, capped group): the sum of its rules' contributions, the
    total after the group cap of scoring_groups, and the cap adjustment (total - sum). Rules
    without a group, or whose group has no scoring_groups row, are uncapped and summed together
    under capped_group = null (int_scoring_rules decides). fit_points / engagement_points are the
    sums of points_total; rule_points_rounded sums the rule rows as lead_score_reasons shows
    them. -#}

with

contributions as (

    select * from {{ ref('int_lead_rule_contributions') }}

),

score_groups as (

    -- one row per score_group_number: its model, dimension and capped group
    select distinct
        score_group_number,
        model,
        dimension,
        capped_group,
        group_max_points
    from {{ ref('int_scoring_rules') }}

),

summed as (

    -- by (lead, number), not by the texts the number stands for: tens of millions of rule rows
    select
        lead_id,
        score_group_number,
        sum(contribution) as points_before_cap,
        sum({{ round_points('contribution') }}) as rule_points_rounded
    from contributions
    group by lead_id, score_group_number

),

final as (

    select
        summed.lead_id,
        score_groups.model,
        score_groups.dimension,
        score_groups.capped_group,
        score_groups.group_max_points,
        summed.points_before_cap,
        {{ cap_points('summed.points_before_cap', 'score_groups.group_max_points') }} as points_total,
        {{ cap_points('summed.points_before_cap', 'score_groups.group_max_points') }}
        - summed.points_before_cap as cap_adjustment,
        summed.rule_points_rounded
    from summed
    inner join score_groups
        on summed.score_group_number = score_groups.score_group_number

)

select * from final
