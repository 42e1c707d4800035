{#- Every raw event row, typed and cleaned, with the reason it is rejected (null when kept).
    Each row is validated on its own first; among the valid rows a duplicate event_id keeps the
    copy with the earliest occurred_at (ties: the lowest lead_id, event_type, event_detail,
    loaded_at, then the copy staged first) and the others are quarantined as duplicate_event_id.
    Only the ids with more than one valid copy are ranked (found by repeated_keys on
    grouping_key, a hash where the engine has one): ranking every id costs about as much as the
    rest of the model. The tie-break sorts the values themselves, not a hash of the row.
    occurred_at_raw keeps the given text only when it does not parse (rendering every parsed
    timestamp as text is a large share of the model). Whether the lead exists is checked
    downstream (stg_raw__events / quarantined_events), so a lead that arrives after its events still
    gets them.

    Incremental: a run validates only the raw rows loaded after the newest loaded_at staged so
    far, and re-ranks them together with the staged rows of the same event_ids (delete+insert on
    event_id), so the kept copy is the one a full build would keep. processed_at stamps the rows
    each run writes; the event state models advance from it. -#}
{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key='event_id',
    on_schema_change='fail',
    pre_hook="{{ delete_rebuilt_state(base_events_plan()) }}",
) }}
{%- set plan = base_events_plan() %}
{{- log_state_plan(plan) }}
{%- set loaded_at_column = events_loaded_at_column() %}
{%- set raw_types = raw_column_types('events') %}
{%- set candidate_columns = ['event_id', 'lead_id', 'event_type', 'event_detail', 'occurred_at_raw', 'occurred_at',
    'loaded_at', 'validation_reason', 'first_processed_at'] %}

-- sqlfluff:indentation:template_blocks_indent:False
-- (CTEs switched on and off by if-blocks stay at the CTE level)
with

source as (

    select * from {{ source('raw', 'events') }}
    {%- if plan.mode == 'incremental' %}
    where {{ utc_timestamp(loaded_at_column, raw_types.get(loaded_at_column, '')) }} > {{ timestamp_literal(plan.watermark) }}
    {%- endif %}

),

cleaned as {{ materialized_cte() }} (

    -- kept once: the ranking below reads the rows three times, and DuckDB would otherwise keep
    -- the raw rows and clean them again for each read, almost doubling the model's time)
    select
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('lead_id') }} as lead_id,
        lower({{ clean_text('event_type') }}) as event_type,
        lower({{ clean_text(optional_raw_column('event_detail', raw_types)) }}) as event_detail,
        case
            when {{ utc_timestamp('occurred_at', raw_types.get('occurred_at', '')) }} is null
                then {{ clean_text('occurred_at') }}
        end as occurred_at_raw,
        {{ utc_timestamp('occurred_at', raw_types.get('occurred_at', '')) }} as occurred_at,
        {%- if loaded_at_column %}
        {{ utc_timestamp(loaded_at_column, raw_types.get(loaded_at_column, '')) }} as loaded_at
        {%- else %}
        cast(null as {{ dbt.type_timestamp() }}) as loaded_at
        {%- endif %}
    from source

),

validated as (

    select
        *,
        case
            when event_id is null then 'missing_event_id'
            when lead_id is null then 'missing_lead_id'
            when event_type is null then 'missing_event_type'
            when occurred_at is null and occurred_at_raw is null then 'missing_occurred_at'
            when occurred_at is null then 'unparseable_occurred_at'
            when occurred_at < {{ min_plausible_timestamp() }}
                then 'implausible_occurred_at'
            {%- if loaded_at_column %}
            when loaded_at is null then 'missing_loaded_at'
            {%- endif %}
        end as validation_reason,
        {{ run_started_at_literal() }} as first_processed_at
    from cleaned

),

{%- if plan.mode == 'incremental' %}

staged_copies as (

    -- rows staged by earlier runs whose event_id arrives again: ranked again with the new copies
    select
        {{ candidate_columns | join(',\n        ') }}
    from {{ this }}
    where event_id in (select validated.event_id from validated)

),

{%- endif %}

candidates as (

    select
        {{ candidate_columns | join(',\n        ') }}
    from validated
    {%- if plan.mode == 'incremental' %}
    union all
    select * from staged_copies
    {%- endif %}

),

repeated_ids as (

    -- keys of the event ids with more than one valid copy (a hash collision only adds an id
    -- whose single copy then ranks 1 anyway)
    {{ repeated_keys(grouping_key('event_id'), 'candidates', 'validation_reason is null') }}

),

ranked as (

    select
        candidates.*,
        1 as copy_rank
    from candidates
    left join repeated_ids
        on {{ grouping_key('candidates.event_id') }} = repeated_ids.repeated_key
    where candidates.validation_reason is not null
        or repeated_ids.repeated_key is null

    union all

    select
        candidates.*,
        row_number() over (
            partition by candidates.event_id
            order by
                candidates.occurred_at,
                candidates.lead_id,
                candidates.event_type,
                candidates.event_detail nulls first,
                candidates.loaded_at nulls first,
                candidates.first_processed_at
        ) as copy_rank
    from candidates
    inner join repeated_ids
        on {{ grouping_key('candidates.event_id') }} = repeated_ids.repeated_key
    where candidates.validation_reason is null

),

final as (

    select
        event_id,
        lead_id,
        event_type,
        event_detail,
        occurred_at_raw,
        occurred_at,
        loaded_at,
        validation_reason,
        case
            when validation_reason is not null then validation_reason
            when copy_rank > 1 then 'duplicate_event_id'
        end as quarantine_reason,
        first_processed_at,
        {{ run_started_at_literal() }} as processed_at,
        {%- if plan.mode == 'incremental' %}
        {{ timestamp_literal(plan.generation) }} as generation
        {%- else %}
        {{ run_started_at_literal() }} as generation
        {%- endif %}
    from ranked

)

{{ state_rows(plan) }}
