{#- The vocabulary of seeds/score_triggers.csv: the events a trigger can fire on, the actions and
    the fields a payload may carry (each a column of int_lead_action_events). -#}
{% macro trigger_event_types() -%}
    {{ return(['became_mql', 'left_mql', 'disqualified', 'requalified', 'band_changed', 'grade_changed',
        'stage_changed', 'score_crossed', 'sla_breached']) }}
{%- endmacro %}

{% macro trigger_actions() -%}
    {{ return(['notify_owner', 'add_to_crm_list', 'create_task', 'webhook']) }}
{%- endmacro %}

{% macro trigger_payload_fields() -%}
    {{ return({
        'lead_id': 'string', 'model': 'string', 'event_type': 'string', 'event_at': 'timestamp',
        'value_before': 'string', 'value_after': 'string', 'total_score': 'number', 'fit_score': 'number',
        'engagement_score': 'number', 'score_band': 'string', 'fit_grade': 'string',
        'engagement_grade': 'string', 'lifecycle_stage': 'string', 'owner_id': 'string', 'team': 'string',
    }) }}
{%- endmacro %}

{#- A value as JSON text: a string quoted and escaped by the engine's JSON writer, null as null. -#}
{% macro json_string(expression) -%}
    {{ return(adapter.dispatch('json_string', 'lead_scoring')(expression)) }}
{%- endmacro %}

{% macro default__json_string(expression) -%}
    coalesce(cast(to_json(cast({{ expression }} as {{ dbt.type_string() }})) as {{ dbt.type_string() }}), 'null')
{%- endmacro %}

{% macro spark__json_string(expression) -%}
    {#- Spark writes JSON for arrays and structs only: the one-item array '["..."]' without its brackets -#}
    coalesce(substring(to_json(array(cast({{ expression }} as string))), 2,
        length(to_json(array(cast({{ expression }} as string)))) - 2), 'null')
{%- endmacro %}

{#- The payload of an action: a JSON object of the fields a trigger lists (payload_fields, a column
    of '|'-separated names), taken from the columns of the same names. -#}
{% macro action_payload(payload_fields) -%}
    {%- set parts = [] -%}
    {%- for field, kind in trigger_payload_fields().items() -%}
        {%- if kind == 'number' -%}
            {%- set value = "coalesce(cast(" ~ field ~ " as " ~ dbt.type_string() ~ "), 'null')" -%}
        {%- else -%}
            {%- set value = json_string(field) -%}
        {%- endif -%}
        {%- do parts.append("coalesce(case when " ~ in_label_list(sql_string(field), payload_fields) ~ " then "
            ~ dbt.concat([sql_string(',"' ~ field ~ '":'), value]) ~ " end, '')") -%}
    {%- endfor -%}
    {{ dbt.concat(["'{'", "substring(" ~ dbt.concat(parts) ~ ", 2)", "'}'"]) }}
{%- endmacro %}
