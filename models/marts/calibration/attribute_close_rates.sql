{#- The closing-rate method (articles 000 and 003): for every candidate signal as of T, how often
    the leads that have it converted in the backtest horizon, next to the overall close rate.
    Signals: each value of each categorical lead attribute (values held by fewer than var
    close_rate_min_support leads pooled as '(other)'), numeric attributes in quintile buckets
    (plus '(missing)'), booleans, and each event type and type/detail seen in the
    var close_rate_window_days before T. Leads are those of int_backtest_leads (not converted by T).
    Suggested points by both recipes (macro suggested_points), capped at var
    calibration_max_points; suggested_points follows var calibration_method. Thin signals
    (is_supported false) and pooled values get no suggestion. -#}
{%- set min_support = project_var('close_rate_min_support') %}
{%- set max_points = project_var('calibration_max_points') %}
{%- set skipped = ['email', 'first_name', 'last_name', 'phone', 'account_id', 'company'] %}
{%- set method = calibration_method() %}

with

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

attributes as (

    select
        attributes.lead_id,
        attributes.attribute,
        attributes.attribute_kind,
        lower(attributes.value_text) as value_text,
        attributes.value_number,
        leads.converted
    from {{ ref('int_lead_attributes') }} as attributes
    inner join leads
        on attributes.lead_id = leads.lead_id
    where attributes.attribute not in {{ sql_string_list(skipped) }}

),

category_counts as (

    select
        attribute,
        coalesce(value_text, '(missing)') as value_text,
        count(*) as holders
    from attributes
    where attribute_kind <> 'number'
    group by attribute, coalesce(value_text, '(missing)')

),

categorical as (

    select
        'attribute' as signal_kind,
        attributes.attribute as field,
        case
            when category_counts.holders < {{ min_support }} then '(other)'
            else coalesce(attributes.value_text, '(missing)')
        end as signal_value,
        case
            when category_counts.holders < {{ min_support }} then null
            when attributes.value_text is null then 'is_not_set'
            else 'equals'
        end as operator,
        case
            when category_counts.holders >= {{ min_support }} then attributes.value_text
        end as value,
        cast(null as {{ type_double() }}) as value_to,
        attributes.lead_id,
        attributes.converted
    from attributes
    inner join category_counts
        on attributes.attribute = category_counts.attribute
            and coalesce(attributes.value_text, '(missing)') = category_counts.value_text
    where attributes.attribute_kind <> 'number'

),

numbers as (

    select
        *,
        ntile(5) over (partition by attribute order by value_number) as quintile
    from attributes
    where attribute_kind = 'number' and value_number is not null

),

quintile_ranges as (

    select
        attribute,
        quintile,
        min(value_number) as range_from,
        max(value_number) as range_to
    from numbers
    group by attribute, quintile

),

numeric_buckets as (

    select
        'attribute_bucket' as signal_kind,
        numbers.attribute as field,
        {{ dbt.concat(["'q'", "cast(numbers.quintile as " ~ dbt.type_string() ~ ")"]) }} as signal_value,
        'between' as operator,
        -- through a fixed-scale decimal: engines print doubles differently (1.5E7 vs 15000000.0)
        cast(cast(quintile_ranges.range_from as decimal(38, 6)) as {{ dbt.type_string() }}) as value,
        quintile_ranges.range_to as value_to,
        numbers.lead_id,
        numbers.converted
    from numbers
    inner join quintile_ranges
        on numbers.attribute = quintile_ranges.attribute
            and numbers.quintile = quintile_ranges.quintile

    union all

    select
        'attribute_bucket' as signal_kind,
        attribute as field,
        '(missing)' as signal_value,
        'is_not_set' as operator,
        cast(null as {{ dbt.type_string() }}) as value,
        cast(null as {{ type_double() }}) as value_to,
        lead_id,
        converted
    from attributes
    where attribute_kind = 'number' and value_number is null

),

recent_events as (

    select distinct
        events.lead_id,
        events.event_type,
        events.event_detail,
        leads.converted
    from {{ ref('int_events_as_of') }} as events
    inner join leads
        on events.lead_id = leads.lead_id
    where events.occurred_at > {{ window_start(project_var('close_rate_window_days')) }}
        and events.age_days < {{ project_var('close_rate_window_days') }}

),

event_signals as (

    select distinct
        'event' as signal_kind,
        event_type as field,
        '(any)' as signal_value,
        cast(null as {{ dbt.type_string() }}) as operator,
        cast(null as {{ dbt.type_string() }}) as value,
        cast(null as {{ type_double() }}) as value_to,
        lead_id,
        converted
    from recent_events

    union all

    select distinct
        'event' as signal_kind,
        event_type as field,
        event_detail as signal_value,
        'equals' as operator,
        event_detail as value,
        cast(null as {{ type_double() }}) as value_to,
        lead_id,
        converted
    from recent_events
    where event_detail is not null

),

signals as (

    select * from categorical
    union all
    select * from numeric_buckets
    union all
    select * from event_signals

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
