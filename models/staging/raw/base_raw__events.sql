{#- Every raw event row, typed and cleaned, with the reason it is rejected (null when kept).
    Each row is validated on its own first; among the valid rows a duplicate event_id keeps the
    copy with the earliest occurred_at (ties: the lowest lead_id, event_type, event_detail,
    loaded_at, then the copy staged first) and the others are quarantined as duplicate_event_id.
    Only the ids on more than one raw row are ranked (found by repeated_keys on grouping_key, a
    hash where the engine has one): ranking every id costs about as much as the rest of the
    model. The raw rows are read three times - their ids' keys, the rows of ids that repeat, the
    others - and each row is cleaned in the read that keeps it: keeping every cleaned row for
    three reads spills more than it saves. The tie-break sorts the values themselves, not a
    hash of the row.
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

{%- set event_key = grouping_key(clean_text('source.event_id')) %}
{#- the raw rows this run stages, named source in each read: a CTE read three times would be kept
    whole (all of the raw table, on a full build) instead of scanned three times -#}
{%- if plan.mode == 'incremental' %}
    {%- set source_rows = '(select * from ' ~ source('raw', 'events') ~ ' where '
        ~ utc_timestamp(loaded_at_column, raw_types.get(loaded_at_column, '')) ~ ' > '
        ~ timestamp_literal(plan.watermark) ~ ') as source' %}
{%- else %}
    {%- set source_rows = source('raw', 'events') ~ ' as source' %}
{%- endif %}

-- sqlfluff:indentation:template_blocks_indent:False
-- (CTEs switched on and off by if-blocks stay at the CTE level)
with

{%- if plan.mode == 'incremental' %}

staged_copies as (

    -- rows staged by earlier runs whose event_id arrives again: ranked again with the new copies
    select
        {{ candidate_columns | join(',\n        ') }}
    from {{ this }}
    where event_id in (select {{ clean_text('source.event_id') }} from {{ source_rows }})

),

{%- endif %}

event_keys as (

    select {{ event_key }} as event_key
    from {{ source_rows }}
    {%- if plan.mode == 'incremental' %}
    union all
    select {{ grouping_key('staged_copies.event_id') }} from staged_copies
    {%- endif %}

),

repeated_ids as (

    -- keys of the event ids on more than one row, valid or not (a hash collision, or an id with
    -- one valid copy, only sends its rows through the ranking, where they rank 1)
    {{ repeated_keys('event_key', 'event_keys') }}

),

single_rows as (

    -- the rows of ids that occur once: nothing to rank
    select
        {{ raw_event_columns(raw_types, loaded_at_column) | indent(8) }}
    from {{ source_rows }}
    left join repeated_ids
        on {{ event_key }} = repeated_ids.repeated_key
    where repeated_ids.repeated_key is null

),

repeated_rows as (

    select
        {{ raw_event_columns(raw_types, loaded_at_column) | indent(8) }}
    from {{ source_rows }}
    inner join repeated_ids
        on {{ event_key }} = repeated_ids.repeated_key

),

repeated_candidates as (

    select
        *,
        {{ raw_event_validation_reason(loaded_at_column) | indent(8) }} as validation_reason,
        {{ run_started_at_literal() }} as first_processed_at
    from repeated_rows
    {%- if plan.mode == 'incremental' %}
    union all
    select * from staged_copies
    {%- endif %}

),

ranked as (

    select
        *,
        {{ raw_event_validation_reason(loaded_at_column) | indent(8) }} as validation_reason,
        {{ run_started_at_literal() }} as first_processed_at,
        1 as copy_rank
    from single_rows

    union all

    select
        *,
        1 as copy_rank
    from repeated_candidates
    where validation_reason is not null

    union all

    select
        *,
        row_number() over (
            partition by event_id
            order by
                occurred_at,
                lead_id,
                event_type,
                event_detail nulls first,
                loaded_at nulls first,
                first_processed_at
        ) as copy_rank
    from repeated_candidates
    where validation_reason is null

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
