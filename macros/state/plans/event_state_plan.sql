{#- int_event_rule_state / int_lead_event_state: incremental on the base_raw__events rows processed
    since the state's watermark, unless base_raw__events was rebuilt, the as-of moved back, the
    stored table lacks one of required_columns (stored by an older version) or, given the columns
    the model writes, its columns are not those (vars that name columns changed); with by_model,
    models whose event rules changed (config_hash) are rebuilt on their own. -#}
{% macro event_state_plan(by_model=false, required_columns=[], columns=none) %}
    {%- set plan = {'mode': 'full', 'reason': 'this is a first build or --full-refresh',
                    'rebuild_models': [], 'delete_models': []} -%}
    {%- if not state_is_incremental() -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- for column in required_columns if column not in stored_columns -%}
        {% do plan.update({'reason': 'the stored state has no column ' ~ column ~ ' (an older version stored it)'}) %}
        {{ return(plan) }}
    {%- endfor -%}
    {%- if columns is not none -%}
        {%- set written = columns | map('lower') | list -%}
        {%- set added = [] -%}
        {%- set dropped = [] -%}
        {%- for column in written if column not in stored_columns %}{% do added.append(column) %}{% endfor -%}
        {%- for column in stored_columns if column not in written %}{% do dropped.append(column) %}{% endfor -%}
        {%- set changes = [] -%}
        {%- for verb, names in [('adds', added), ('drops', dropped)] if names -%}
            {% do changes.append(verb ~ ' ' ~ names[:3] | join(', ')
                ~ (' and ' ~ (names | length - 3) ~ ' more' if names | length > 3 else '')) %}
        {%- endfor -%}
        {%- if changes -%}
            {% do plan.update({'reason': 'its columns changed (var event_types or feature_windows_days): '
                ~ changes | join('; ')}) %}
            {{ return(plan) }}
        {%- endif -%}
    {%- endif -%}
    {%- set stored = run_query('select max(events_processed_at), max(events_generation), max(state_as_of) from ' ~ this).rows[0] -%}
    {%- set current_generation = run_query('select max(generation) from ' ~ ref('base_raw__events')).rows[0][0] -%}
    {%- if stored[0] is none -%}
        {% do plan.update({'reason': 'the state is empty'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- if stored[1] != current_generation -%}
        {% do plan.update({'reason': 'base_raw__events was rebuilt'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- set moved_back = run_query('select case when ' ~ score_as_of() ~ ' < ' ~ timestamp_literal(stored[2])
        ~ ' then 1 else 0 end').rows[0][0] -%}
    {%- if moved_back == 1 -%}
        {% do plan.update({'reason': 'the as-of ' ~ score_as_of_text() ~ ' is before the state (' ~ stored[2] ~ ')'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- if by_model -%}
        {%- set current_hashes = {} -%}
        {%- for row in run_query('select distinct model, config_hash from ' ~ ref('int_event_rules')
                ~ ' where window_days is null').rows -%}
            {% do current_hashes.update({row[0]: row[1]}) %}
        {%- endfor -%}
        {%- set stored_hashes = {} -%}
        {%- for row in run_query('select distinct model, config_hash from ' ~ this).rows -%}
            {% do stored_hashes.update({row[0]: row[1]}) %}
        {%- endfor -%}
        {%- for model, config_hash in current_hashes.items() | sort -%}
            {%- if stored_hashes.get(model) != config_hash -%}
                {% do plan.rebuild_models.append(model) %}
            {%- endif -%}
        {%- endfor -%}
        {%- for model, config_hash in stored_hashes.items() | sort -%}
            {%- if current_hashes.get(model) != config_hash -%}
                {% do plan.delete_models.append(model) %}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {% do plan.update({'mode': 'incremental', 'watermark': stored[0], 'previous_as_of': stored[2]}) %}
    {{ return(plan) }}
{% endmacro %}

{#- The events a state run folds in: staged (kept) events at or before T, all of them on a
    full build; otherwise every event of a dirty lead ('recompute') and, of the other leads, those
    processed since the watermark or that happened after the previous as-of ('add'). On an
    incremental run the caller defines the CTE dirty_leads (event_state_dirty_leads) before this
    one. The two 'add' reads each filter on one timestamp column, which the scan applies itself:
    the other columns are read for the few rows that pass, not for every staged row. -#}
{% macro event_state_events(plan) -%}
    {%- set kept_columns = 'kept.lead_id, kept.event_type, kept.event_detail, kept.occurred_at' %}
    {%- set kept_filter = 'kept.quarantine_reason is null and kept.occurred_at <= ' ~ score_as_of() %}
    select
        {{ kept_columns }},
        'recompute' as change_kind
    from {{ ref('base_raw__events') }} as kept
    {%- if plan.mode != 'full' %}
    inner join dirty_leads as dirty
        on kept.lead_id = dirty.lead_id
    {%- endif %}
    where {{ kept_filter }}
    {%- if plan.mode != 'full' %}
    {%- for since in ['processed', 'occurred'] %}
    union all
    select
        {{ kept_columns }},
        'add' as change_kind
    from {{ ref('base_raw__events') }} as kept
    left join dirty_leads as dirty
        on kept.lead_id = dirty.lead_id
    where {{ kept_filter }}
        and dirty.lead_id is null
        {%- if since == 'processed' %}
        and kept.first_processed_at > {{ timestamp_literal(plan.watermark) }}
        {%- else %}
        and kept.first_processed_at <= {{ timestamp_literal(plan.watermark) }}
        and kept.occurred_at > {{ timestamp_literal(plan.previous_as_of) }}
        {%- endif %}
    {%- endfor %}
    {%- endif %}
{%- endmacro %}

{#- Dirty leads: leads with a row staged before the watermark and written again since (a new
    copy of its event_id arrived, so which copy is kept may have changed), and with late_types
    (a query of event types) leads with a late event of such a type - one at or before the
    previous as-of, which may be the first of a period a once_per_days rule already counted.
    Their state is recomputed from all their events instead of advanced. -#}
{% macro event_state_dirty_leads(plan, late_types=none) -%}
    select distinct lead_id
    from {{ ref('base_raw__events') }}
    where lead_id is not null
        and (
            (first_processed_at <= {{ timestamp_literal(plan.watermark) }}
                and processed_at > {{ timestamp_literal(plan.watermark) }})
            {%- if late_types %}
            or (quarantine_reason is null
                and first_processed_at > {{ timestamp_literal(plan.watermark) }}
                and occurred_at <= {{ timestamp_literal(plan.previous_as_of) }}
                and event_type in ({{ late_types }}))
            {%- endif %}
        )
{%- endmacro %}

{#- int_lead_event_state: the events at each window's edge that may have left it since the
    previous as-of - occurred in (previous as-of - N days, T - N days], widened by a minute each
    side (the ages decide) - as one condition on the timestamp column, for windows of N days. -#}
{% macro window_departure_slices(plan, windows, occurred_at) -%}
    {%- set slices = [] -%}
    {%- for days in windows -%}
        {%- set edge_seconds = (days * 86400) | round | int -%}
        {%- do slices.append('(' ~ occurred_at ~ ' > ' ~ dbt.dateadd('second', -(edge_seconds + 60), timestamp_literal(plan.previous_as_of))
            ~ ' and ' ~ occurred_at ~ ' < ' ~ dbt.dateadd('second', -(edge_seconds - 60), score_as_of()) ~ ')') -%}
    {%- endfor -%}
    {{ slices | join(' or ') }}
{%- endmacro %}
