{#- base_raw__events reads the raw rows in more than one place and cleans each row in the read that
    keeps it: the pieces those reads share, the rank of duplicate copies, and how a read names a
    raw row for a later one. -#}

{#- A raw event row cleaned and typed, as select-list items: event_id, lead_id, event_type,
    event_detail, occurred_at_raw (the given text, only when it does not parse), occurred_at and
    loaded_at. raw_types: raw_column_types('events'); loaded_at_column: events_loaded_at_column()
    ('' when there is none). -#}
{% macro raw_event_columns(raw_types, loaded_at_column) -%}
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
{%- endmacro %}

{#- Why a cleaned event row (raw_event_columns) is rejected, judged on its own: the first problem
    found, null when the row is valid. -#}
{% macro raw_event_validation_reason(loaded_at_column) -%}
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
    end
{%- endmacro %}

{#- The rank of a valid copy among the staged and new rows of its event_id: the earliest
    occurred_at first, ties to the lowest lead_id, event_type, event_detail and loaded_at, then to
    the copy staged first. Rank 1 is kept; the others are quarantined as duplicate_event_id. -#}
{% macro event_copy_rank() -%}
    row_number() over (
        partition by event_id
        order by
            occurred_at,
            lead_id,
            event_type,
            event_detail nulls first,
            loaded_at nulls first,
            first_processed_at
    )
{%- endmacro %}

{#- How a read of the raw table can name one of its rows again in a later read of the same query,
    or none. On DuckDB, a raw table (not a view: a view has no rowid) has rowid; elsewhere, in
    unit tests (whose fixture is a CTE) and while parsing, none, and base_raw__events takes its
    portable path. -#}
{% macro raw_row_locator(table) -%}
    {{ return(adapter.dispatch('raw_row_locator', 'lead_scoring')(table)) }}
{%- endmacro %}

{% macro default__raw_row_locator(table) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro duckdb__raw_row_locator(table) -%}
    {%- set relation = raw_relation(table) -%}
    {%- if relation is not none and relation.type == 'table' -%}
        {{ return('rowid') }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}
