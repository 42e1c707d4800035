{#- Why a lead has its points, for sales: per (lead, model) one row per matching rule with its
    contribution after the rule cap, one adjustment row per group whose cap cut its total, and,
    where rounding each row to 2 decimals leaves a remainder, one rounding row per dimension, so
    that the points of a dimension's rows add up exactly to fit_points / engagement_points.
    A view: the rule rows are the stored rule matches (int_lead_rule_contributions, with each
    rule's group, source, field and description from the rules), rounded here; only the
    group_cap and rounding rows are stored for it (int_lead_score_adjustments). At 1M leads that
    saves writing the 22M rule rows a second time each run, and an edited rule description shows
    without a rebuild. -#}
{{ config(materialized='view') }}

with

contributions as (

    select * from {{ ref('int_lead_rule_contributions') }}

),

adjustments as (

    select * from {{ ref('int_lead_score_adjustments') }}

),

rule_rows as (

    select
        lead_id,
        model,
        rule_id,
        cast('rule' as {{ dbt.type_string() }}) as reason_type,
        dimension,
        rule_group,
        source,
        field,
        description,
        matched_events,
        disqualify as is_disqualifying,
        {{ round_points('raw_points') }} as raw_points,
        {{ round_points('contribution') }} as points
    from contributions

),

final as (

    select * from rule_rows
    union all
    select * from adjustments

)

select * from final
