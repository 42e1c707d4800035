{#- base_raw__events: incremental on the raw rows loaded after the newest loaded_at already staged,
    unless var events_loaded_at_column is blank or the raw rows at or before that watermark changed
    (deleted, or loaded late with an old loaded_at): then everything is validated again. -#}
{% macro base_events_plan() %}
    {%- set plan = {'mode': 'full', 'reason': 'this is a first build or --full-refresh'} -%}
    {%- if not state_is_incremental() -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set raw_events = source('raw', 'events') -%}
    {%- if not events_loaded_at_column() -%}
        {% do plan.update({'reason': "var events_loaded_at_column is blank, so new raw rows cannot be told apart"}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- set columns_now = raw_column_types('events') -%}
    {%- set columns_relation = adapter.get_relation(database=this.database, schema=this.schema,
        identifier='base_raw__events_columns') -%}
    {%- if columns_relation is not none -%}
        {%- set columns_then = {} -%}
        {%- for row in run_query('select column_name, data_type from ' ~ columns_relation).rows -%}
            {%- do columns_then.update({row[0]: row[1]}) -%}
        {%- endfor -%}
        {%- if columns_then and columns_then != columns_now -%}
            {%- set changed = [] -%}
            {%- for name in (columns_then.keys() | list + columns_now.keys() | list) | unique | sort
                    if columns_then.get(name) != columns_now.get(name) -%}
                {%- do changed.append(name ~ ' ' ~ (columns_then.get(name) or 'absent') ~ ' -> '
                    ~ (columns_now.get(name) or 'absent')) -%}
            {%- endfor -%}
            {% do plan.update({'reason': 'the columns of raw.events changed since the last build ('
                ~ changed | join(', ') ~ ')'}) %}
            {{ return(plan) }}
        {%- endif -%}
    {%- endif -%}
    {%- set stored = run_query('select max(loaded_at), max(generation), count(*) from ' ~ this).rows[0] -%}
    {%- if stored[0] is none -%}
        {% do plan.update({'reason': 'no staged row has a loaded_at'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- set raw_below = run_query(
        'select count(*) from ' ~ raw_events ~ ' where not coalesce('
        ~ utc_timestamp(events_loaded_at_column(), raw_column_types('events').get(events_loaded_at_column(), ''))
        ~ ' > ' ~ timestamp_literal(stored[0]) ~ ', false)'
    ).rows[0][0] -%}
    {%- if raw_below != stored[2] -%}
        {% do plan.update({'reason': 'raw.events has ' ~ raw_below ~ ' rows loaded at or before '
            ~ stored[0] ~ ' but ' ~ stored[2] ~ ' are staged (rows deleted or loaded with an old loaded_at)'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {% do plan.update({'mode': 'incremental', 'watermark': stored[0], 'generation': stored[1]}) %}
    {{ return(plan) }}
{% endmacro %}
