{#- The candidate signals of the closing-rate method, one row per (signal, lead having it) as of
    T, with whether the lead converted in the backtest horizon: each value of each categorical
    lead attribute (values held by fewer than var close_rate_min_support leads pooled as
    '(other)'), numeric attributes in quintile buckets (equal values in one bucket, so ties can
    leave fewer than five; plus '(missing)'), booleans, and each
    event type and type/detail seen in the var close_rate_window_days before T. Leads are those
    of int_backtest_leads (not converted by T). attribute_close_rates rates them. Identifiers are
    left out, and so are the sales attributes (sales_status, days_since_sales_*): what sales
    decided after the hand-off would dominate a proposal for marketing's points. -#}
{%- set min_support = project_var('close_rate_min_support') %}
{%- set skipped = ['email', 'first_name', 'last_name', 'phone', 'account_id', 'company', 'sales_status',
    'days_since_sales_status', 'days_since_sales_rejected', 'days_since_sales_lost'] %}

with

leads as (

    select
        lead_id,
        max(case when converted then 1 else 0 end) as converted
    from {{ ref('int_backtest_leads') }}
    group by lead_id

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

quintile_cuts as (

    -- each quintile's largest value - equal values can end quintiles at the same cut
    select distinct
        attribute,
        max(value_number) over (partition by attribute, quintile) as cut
    from numbers

),

bucket_cuts as (

    select
        attribute,
        cut,
        dense_rank() over (partition by attribute order by cut) as bucket
    from quintile_cuts

),

bucketed as (

    -- a value is in the bucket of the first cut at or above it: equal values share a bucket and
    -- buckets never overlap, so each becomes a rule that matches exactly its leads
    select
        numbers.lead_id,
        numbers.attribute,
        numbers.value_number,
        numbers.converted,
        min(bucket_cuts.bucket) as bucket
    from numbers
    inner join bucket_cuts
        on numbers.attribute = bucket_cuts.attribute
            and numbers.value_number <= bucket_cuts.cut
    group by numbers.lead_id, numbers.attribute, numbers.value_number, numbers.converted

),

bucket_ranges as (

    select
        attribute,
        bucket,
        min(value_number) as range_from,
        max(value_number) as range_to
    from bucketed
    group by attribute, bucket

),

numeric_buckets as (

    select
        'attribute_bucket' as signal_kind,
        bucketed.attribute as field,
        {{ dbt.concat(["'q'", "cast(bucketed.bucket as " ~ dbt.type_string() ~ ")"]) }} as signal_value,
        'between' as operator,
        -- through a fixed-scale decimal: engines print doubles differently (1.5E7 vs 15000000.0),
        -- rounded down, so the bucket's smallest value stays in it and value <= value_to
        cast(
            cast(floor(bucket_ranges.range_from * 1000000) / 1000000 as decimal(38, 6)) as {{ dbt.type_string() }}
        ) as value,
        bucket_ranges.range_to as value_to,
        bucketed.lead_id,
        bucketed.converted
    from bucketed
    inner join bucket_ranges
        on bucketed.attribute = bucket_ranges.attribute
            and bucketed.bucket = bucket_ranges.bucket

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

final as (

    select * from categorical
    union all
    select * from numeric_buckets
    union all
    select * from event_signals

)

select * from final
