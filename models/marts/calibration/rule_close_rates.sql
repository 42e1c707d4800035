{#- The closing-rate method applied to the current points table: per (model, rule), the leads the
    rule matched as of T (int_lead_rule_contributions) among the backtest leads, how many of them
    converted in the horizon, next to the model's overall close rate, with a Wilson 95% interval
    and the points both recipes suggest (macro suggested_points). `leadscore calibrate` turns
    this into a proposed points table and a rule-by-rule diff. Rules that matched no backtest
    lead have no row. -#}
{%- set method = calibration_method() %}
{%- set max_points = project_var('calibration_max_points') %}

with

leads as (

    select * from {{ ref('int_backtest_leads') }}

),

overall as (

    select
        model,
        count(*) as leads,
        sum(case when converted then 1 else 0 end) as converters
    from leads
    group by model

),

matches as (

    select
        contributions.model,
        contributions.rule_id,
        leads.lead_id,
        leads.converted
    from {{ ref('int_lead_rule_contributions') }} as contributions
    inner join leads
        on contributions.lead_id = leads.lead_id
            and contributions.model = leads.model

),

counted as (

    select
        model,
        rule_id,
        count(*) as leads_matched,
        sum(case when converted then 1 else 0 end) as converters_matched
    from matches
    group by model, rule_id

),

rated as (

    select
        counted.model,
        counted.rule_id,
        counted.leads_matched,
        counted.converters_matched,
        cast(counted.converters_matched as {{ type_double() }}) / counted.leads_matched as close_rate,
        cast(overall.converters as {{ type_double() }}) / nullif(overall.leads, 0) as overall_close_rate,
        counted.leads_matched >= {{ project_var('close_rate_min_support') }} as is_supported
    from counted
    inner join overall
        on counted.model = overall.model

),

suggested as (

    select
        *,
        {{ suggested_points('difference', 'close_rate', 'overall_close_rate', 'is_supported', max_points) }}
            as suggested_points_difference,
        {{ suggested_points('ratio', 'close_rate', 'overall_close_rate', 'is_supported', max_points) }}
            as suggested_points_ratio
    from rated

),

final as (

    select
        model,
        rule_id,
        cast(leads_matched as {{ dbt.type_bigint() }}) as leads_matched,
        cast(converters_matched as {{ dbt.type_bigint() }}) as converters_matched,
        close_rate,
        overall_close_rate,
        close_rate / nullif(overall_close_rate, 0) as lift_ratio,
        100 * (close_rate - overall_close_rate) as difference_pp,
        {{ wilson_interval('converters_matched', 'leads_matched', 'lower') }} as close_rate_lower,
        {{ wilson_interval('converters_matched', 'leads_matched', 'upper') }} as close_rate_upper,
        is_supported,
        cast(suggested_points_difference as {{ dbt.type_int() }}) as suggested_points_difference,
        cast(suggested_points_ratio as {{ dbt.type_int() }}) as suggested_points_ratio,
        cast(suggested_points_{{ method }} as {{ dbt.type_int() }}) as suggested_points
    from suggested

)

select * from final
