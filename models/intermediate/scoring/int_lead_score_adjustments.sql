{#- The rows of lead_score_reasons that are not a rule's: per (lead, model) one adjustment row
    per group whose cap cut its total (group_cap) and, where rounding each row to 2 decimals
    leaves a remainder, one rounding row per dimension, so that the points of a dimension's rows
    add up exactly to fit_points / engagement_points. The rule rows themselves are not stored
    again: the lead_score_reasons view reads them from the match tables (which saves writing every
    rule row again each run); the rule rows' rounded points come summed per group in
    int_lead_group_totals. Matches and group totals exist only for scored (lead, model)s, so
    they are not joined to the scores again (tests/assert_reasons_sum_to_points.sql checks it). -#}
{{ config(materialized='table') }}

with

scores as (

    select * from {{ ref('int_lead_scores') }}

),

group_totals as {{ materialized_cte() }} (

    -- read twice below (cap rows, sums): computed once - cap_points is the cap row's points (0
    -- for the uncapped rules)
    select
        *,
        case
            when capped_group is not null then {{ round_points('cap_adjustment') }}
            else 0
        end as cap_points
    from {{ ref('int_lead_group_totals') }}

),

cap_rows as (

    select
        group_totals.lead_id,
        group_totals.model,
        {{ dbt.concat(["'group_cap:'", 'group_totals.capped_group']) }} as rule_id,
        'group_cap' as reason_type,
        group_totals.dimension,
        group_totals.capped_group as rule_group,
        cast(null as {{ dbt.type_string() }}) as source,
        cast(null as {{ dbt.type_string() }}) as field,
        {{ dbt.concat(["'Cap of group '", 'group_totals.capped_group', "' at '",
            'cast(group_totals.group_max_points as ' ~ dbt.type_string() ~ ')', "' points'"]) }} as description,
        cast(null as {{ dbt.type_int() }}) as matched_events,
        false as is_disqualifying,
        {{ round_points('group_totals.points_before_cap') }} as raw_points,
        group_totals.cap_points as points
    from group_totals
    where group_totals.cap_points <> 0

),

itemised as (

    -- per group: its rule rows as shown (rounded) plus its cap row
    select
        lead_id,
        model,
        dimension,
        rule_points_rounded + cap_points as points
    from group_totals

),

itemised_sums as (

    select
        lead_id,
        model,
        sum(case when dimension = 'fit' then points else 0 end) as fit_sum,
        sum(case when dimension = 'engagement' then points else 0 end) as engagement_sum
    from itemised
    group by lead_id, model

),

remainders as (

    select
        scores.lead_id,
        scores.model,
        scores.fit_points - coalesce(itemised_sums.fit_sum, 0) as fit_remainder,
        scores.engagement_points - coalesce(itemised_sums.engagement_sum, 0) as engagement_remainder
    from scores
    left join itemised_sums
        on scores.lead_id = itemised_sums.lead_id
            and scores.model = itemised_sums.model

),

rounding_rows as (

    {%- for dimension in ['fit', 'engagement'] %}
        select
            lead_id,
            model,
            'rounding:{{ dimension }}' as rule_id,
            'rounding' as reason_type,
            '{{ dimension }}' as dimension,
            cast(null as {{ dbt.type_string() }}) as rule_group,
            cast(null as {{ dbt.type_string() }}) as source,
            cast(null as {{ dbt.type_string() }}) as field,
            'Remainder of rounding each row to 2 decimals' as description,
            cast(null as {{ dbt.type_int() }}) as matched_events,
            false as is_disqualifying,
            {{ round_points('0') }} as raw_points,
            {{ round_points(dimension ~ '_remainder') }} as points
        from remainders
        where {{ dimension }}_remainder <> 0
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select * from cap_rows
    union all
    select * from rounding_rows

)

select * from final
