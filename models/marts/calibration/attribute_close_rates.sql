{#- The closing-rate method (articles 000 and 003): for every candidate signal as of T
    (int_close_rate_signals), how often the leads that have it converted in the backtest
    horizon, next to the overall close rate of the leads of int_backtest_leads. Suggested points
    by both recipes (macro suggested_points), capped at var calibration_max_points;
    suggested_points follows var calibration_method. Thin signals (is_supported false) and
    pooled values get no suggestion. -#}
{%- set min_support = project_var('close_rate_min_support') %}
{%- set max_points = project_var('calibration_max_points') %}
{%- set method = calibration_method() %}

with

signals as (

    select * from {{ ref('int_close_rate_signals') }}

),

leads as (

    select
        lead_id,
        max(case when converted then 1 else 0 end) as converted
    from {{ ref('int_backtest_leads') }}
    group by lead_id

),

overall as (

    select
        count(*) as leads,
        sum(converted) as converters
    from leads

),

counted as (

    select
        signal_kind,
        field,
        signal_value,
        operator,
        value,
        value_to,
        count(distinct lead_id) as leads_with,
        count(distinct case when converted = 1 then lead_id end) as converters_with
    from signals
    group by signal_kind, field, signal_value, operator, value, value_to

),

rated as (

    select
        counted.*,
        cast(counted.converters_with as {{ type_double() }}) / counted.leads_with as close_rate,
        cast(overall.converters as {{ type_double() }}) / nullif(overall.leads, 0) as overall_close_rate,
        counted.leads_with >= {{ min_support }} and counted.signal_value <> '(other)' as is_supported
    from counted
    cross join overall

),

suggested as (

    select
        *,
        close_rate / nullif(overall_close_rate, 0) as lift_ratio,
        100 * (close_rate - overall_close_rate) as difference_pp,
        {{ suggested_points('difference', 'close_rate', 'overall_close_rate', 'is_supported', max_points) }}
            as suggested_points_difference,
        {{ suggested_points('ratio', 'close_rate', 'overall_close_rate', 'is_supported', max_points) }}
            as suggested_points_ratio
    from rated

),

final as (

    select
        cast(signal_kind as {{ dbt.type_string() }}) as signal_kind,
        cast(field as {{ dbt.type_string() }}) as field,
        cast(signal_value as {{ dbt.type_string() }}) as signal_value,
        cast(operator as {{ dbt.type_string() }}) as operator,
        cast(value as {{ dbt.type_string() }}) as value,
        cast(value_to as {{ type_double() }}) as value_to,
        cast(leads_with as {{ dbt.type_bigint() }}) as leads_with,
        cast(converters_with as {{ dbt.type_bigint() }}) as converters_with,
        close_rate,
        overall_close_rate,
        lift_ratio,
        difference_pp,
        {{ wilson_interval('converters_with', 'leads_with', 'lower') }} as close_rate_lower,
        {{ wilson_interval('converters_with', 'leads_with', 'upper') }} as close_rate_upper,
        is_supported,
        cast(suggested_points_difference as {{ dbt.type_int() }}) as suggested_points_difference,
        cast(suggested_points_ratio as {{ dbt.type_int() }}) as suggested_points_ratio,
        cast(suggested_points_{{ method }} as {{ dbt.type_int() }}) as suggested_points
    from suggested

)

select * from final
