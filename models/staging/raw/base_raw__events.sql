{#- Every raw event row, typed and cleaned, with the reason it is rejected (null when kept).
    Each row is validated on its own first; among the valid rows of a duplicate event_id the copy
    event_copy_rank puts first is kept (earliest occurred_at; ties: the lowest lead_id,
    event_type, event_detail, loaded_at, then the copy staged first), the others are quarantined
    as duplicate_event_id. Only ids on more than one raw row are ranked (repeated_keys on
    grouping_key, a hash where the engine has one). The raw rows are read three times - the ids'
    keys, the rows of ids that repeat, all or the other rows - each row cleaned in the read that
    keeps it: keeping every cleaned row for three reads spills more than it saves. On a full
    build on DuckDB the reads find rows again by rowid (raw_row_locator), so the last read marks
    the losing copies by a join on that integer instead of computing every row's key again.
    occurred_at_raw keeps the given text only when it does not parse. Whether the lead exists is
    checked downstream (stg_raw__events), so a lead that arrives after its events gets them.
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
{%- set row_locator = raw_row_locator('events') if plan.mode == 'full' else none %}
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

{%- if row_locator %}

event_keys as (

    select
        {{ event_key }} as event_key,
        source.{{ row_locator }} as source_row
    from {{ source_rows }}

),

repeated_rows as (

    -- the rows whose id's key equals the key before or after it: ids on more than one raw row,
    -- valid or not (a hash collision only sends its rows through the ranking, where they rank 1)
    select source_row
    from (
        select
            source_row,
            event_key,
            lag(event_key) over (order by event_key) as previous_key,
            lead(event_key) over (order by event_key) as next_key
        from event_keys
    ) as sorted_keys
    where event_key = previous_key or event_key = next_key

),

repeated_candidates as (

    select
        *,
        {{ raw_event_validation_reason(loaded_at_column) | indent(8) }} as validation_reason,
        {{ run_started_at_literal() }} as first_processed_at
    from (
        select
            source.{{ row_locator }} as source_row,
            {{ raw_event_columns(raw_types, loaded_at_column) | indent(12) }}
        from {{ source_rows }}
        inner join repeated_rows
            on source.{{ row_locator }} = repeated_rows.source_row
    ) as repeated_raw

),

losing_copies as (

    -- the valid copies that do not rank first
    select source_row
    from (
        select
            source_row,
            {{ event_copy_rank() }} as copy_rank
        from repeated_candidates
        where validation_reason is null
    ) as copies
    where copy_rank > 1

),

ranked as (

    select
        *,
        {{ raw_event_validation_reason(loaded_at_column) | indent(8) }} as validation_reason,
        {{ run_started_at_literal() }} as first_processed_at
    from (
        select
            {{ raw_event_columns(raw_types, loaded_at_column) | indent(12) }},
            case when losing_copies.source_row is null then 1 else 2 end as copy_rank
        from {{ source_rows }}
        left join losing_copies
            on source.{{ row_locator }} = losing_copies.source_row
    ) as cleaned

),

{%- else %}

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
        {{ event_copy_rank() }} as copy_rank
    from repeated_candidates
    where validation_reason is null

),

{%- endif %}

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
