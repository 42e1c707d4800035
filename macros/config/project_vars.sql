{#- The project's vars. Models read them only through project_var(name), which checks each value
    against what it may be - a name matching a strict identifier pattern, a number in range, one
    of a few words, a timestamp - so that no var ever reaches SQL as code: names are checked,
    values are quoted by sql_string. While parsing, a bad value reads as its default (nothing
    runs then); while executing it stops the run. The on-run-start hook check_project_config
    reports every bad var at once, one line each, before any node runs. -#}

{#- Each var: its kind, the value used while parsing when the given one is bad, and what to set
    it to (the fix printed with a problem). -#}
{% macro project_var_specs() -%}
    {{ return({
        'raw_schema': {'kind': 'identifier', 'default': 'raw',
            'fix': 'the schema that holds the raw tables leads, events and conversions'},
        'lead_attribute_columns': {'kind': 'identifier_list', 'default': [],
            'fix': 'a list of raw.leads columns that rules may score as text, e.g. [industry_segment]'},
        'lead_numeric_attribute_columns': {'kind': 'identifier_list', 'default': [],
            'fix': 'a list of raw.leads columns that rules compare as numbers, e.g. [seats]'},
        'event_types': {'kind': 'event_type_list', 'default': [],
            'fix': 'a list of the event types that get per-window feature columns, e.g. [page_view, email_open]'},
        'feature_windows_days': {'kind': 'day_list', 'default': [7, 30, 90],
            'fix': 'a list of whole days from 1 to 3650, e.g. [7, 30, 90]'},
        'events_loaded_at_column': {'kind': 'optional_identifier', 'default': 'loaded_at',
            'fix': "the raw.events column your EL tool stamps with each row's load time, or '' if there is none"},
        'events_freshness_warn_hours': {'kind': 'integer', 'default': 24, 'min': 1, 'max': 87600,
            'fix': 'a whole number of hours from 1 to 87600: how old the newest raw.events load may be before dbt source freshness warns'},
        'events_freshness_error_hours': {'kind': 'integer', 'default': 72, 'min': 1, 'max': 87600,
            'fix': 'a whole number of hours from 1 to 87600: how old the newest raw.events load may be before dbt source freshness fails'},
        'account_engaged_min_score': {'kind': 'number', 'default': 20, 'min': 0, 'max': 100,
            'fix': 'an engagement score from 0 to 100'},
        'sync_score_step': {'kind': 'number', 'default': 1.0, 'min': 0, 'max': 100,
            'fix': 'a number of points from 0 to 100'},
        'sync_extra_columns': {'kind': 'identifier_list', 'default': [],
            'fix': 'a list of lead columns to send to the CRM, e.g. [email, company], or []'},
        'rebuild_history': {'kind': 'boolean', 'default': false, 'fix': 'true or false'},
        'score_customers_as_upsell': {'kind': 'boolean', 'default': false, 'fix': 'true or false'},
        'backtest_horizon_days': {'kind': 'integer', 'default': 90, 'min': 1, 'max': 3650,
            'fix': 'a whole number of days from 1 to 3650'},
        'close_rate_min_support': {'kind': 'integer', 'default': 30, 'min': 1, 'max': 1000000000,
            'fix': 'a whole number of leads, at least 1'},
        'close_rate_window_days': {'kind': 'integer', 'default': 90, 'min': 1, 'max': 3650,
            'fix': 'a whole number of days from 1 to 3650'},
        'calibration_method': {'kind': 'choice', 'default': 'difference', 'choices': ['difference', 'ratio'],
            'fix': 'difference or ratio'},
        'calibration_max_points': {'kind': 'number', 'default': 30, 'min': 1, 'max': 1000,
            'fix': 'a number of points from 1 to 1000'},
        'predictive_excluded_columns': {'kind': 'identifier_list', 'default': [],
            'fix': 'a list of lead columns a predictive model must not use, e.g. [email, phone]'},
        'schema_prefix': {'kind': 'optional_identifier', 'default': '',
            'fix': "'' (the default), or a name that prefixes every schema the project builds (e.g. analysis)"},
        'sla_lookback_days': {'kind': 'integer', 'default': 90, 'min': 1, 'max': 3650,
            'fix': 'a whole number of days from 1 to 3650: how far back mql_sla follows MQLs'},
        'trigger_max_event_age_days': {'kind': 'number', 'default': 2, 'min': 0.01, 'max': 365,
            'fix': 'a number of days from 0.01 to 365: how old a lifecycle event may be and still emit its action'},
        'routing_fallback_team': {'kind': 'identifier', 'default': 'unassigned',
            'fix': 'the name of the queue MQLs no routing rule or active owner takes land in, e.g. unassigned'},
        'min_plausible_timestamp': {'kind': 'timestamp', 'default': '1990-01-01 00:00:00',
            'fix': "a UTC time 'YYYY-MM-DD[ HH:MM:SS]', e.g. '1990-01-01 00:00:00'"},
    }) }}
{%- endmacro %}

{#- The value of var name, checked and normalised (event types lower-case, each with its feature
    column name; numbers as numbers). -#}
{% macro project_var(name) -%}
    {%- set spec = project_var_specs()[name] -%}
    {%- set checked = checked_project_var(name) -%}
    {%- if checked.problem -%}
        {%- if execute -%}
            {{ exceptions.raise_compiler_error(checked.problem) }}
        {%- endif -%}
        {{ return(checked_var_value(name, spec.default, spec).value) }}
    {%- endif -%}
    {{ return(checked.value) }}
{%- endmacro %}

{#- {'value': the normalised value, 'problem': a one-line message naming the var and the fix, or
    none} for the value dbt has for var name. -#}
{% macro checked_project_var(name) -%}
    {%- set spec = project_var_specs()[name] -%}
    {{ return(checked_var_value(name, var(name, spec.default), spec)) }}
{%- endmacro %}

{% macro checked_var_value(name, value, spec) -%}
    {%- set kind = spec.kind -%}
    {%- set problem = none -%}
    {%- set result = value -%}
    {%- if kind in ('identifier', 'optional_identifier') -%}
        {%- set text = '' if value is none else value -%}
        {%- if text is not string -%}
            {%- set problem = 'is not a name' -%}
        {%- elif kind == 'optional_identifier' and text | trim == '' -%}
            {%- set result = '' -%}
        {%- else -%}
            {%- set problem = identifier_problem(text) -%}
            {%- set result = text | lower -%}
        {%- endif -%}
    {%- elif kind in ('identifier_list', 'event_type_list', 'day_list') -%}
        {%- set items = [] if value is none else value -%}
        {%- if items is string or items is mapping or items is not iterable -%}
            {%- set problem = 'is not a list' -%}
        {%- else -%}
            {%- set result = [] -%}
            {%- set columns = [] -%}
            {%- set found = namespace(problem=none) -%}
            {%- for item in items if found.problem is none -%}
                {%- if kind == 'identifier_list' -%}
                    {%- set item_problem = identifier_problem(item) -%}
                    {%- do result.append(item | lower) if not item_problem -%}
                {%- elif kind == 'day_list' -%}
                    {%- set item_problem = number_problem(item, 1, 3650, true) -%}
                    {%- if not item_problem and (item | int) in result -%}
                        {%- set item_problem = 'is listed twice' -%}
                    {%- endif -%}
                    {%- if not item_problem -%}
                        {%- do result.append(item | int) -%}
                    {%- endif -%}
                {%- else -%}
                    {%- set entry = event_type_entry(item) -%}
                    {%- set item_problem = entry.problem -%}
                    {%- if not item_problem and entry.column in columns -%}
                        {%- set item_problem = 'gives the same feature column (' ~ entry.column ~ ') as another entry' -%}
                    {%- endif -%}
                    {%- do columns.append(entry.column) -%}
                    {%- do result.append(entry) -%}
                {%- endif -%}
                {%- if item_problem -%}
                    {%- set found.problem = 'has an entry ' ~ shown_value(item) ~ ' that ' ~ item_problem -%}
                {%- endif -%}
            {%- endfor -%}
            {%- set problem = found.problem -%}
        {%- endif -%}
    {%- elif kind in ('number', 'integer') -%}
        {%- set problem = number_problem(value, spec.min, spec.max, kind == 'integer') -%}
        {%- if not problem -%}
            {%- set result = (value | int) if kind == 'integer' else (value | float) -%}
        {%- endif -%}
    {%- elif kind == 'boolean' -%}
        {%- if value is boolean -%}
            {%- set result = value -%}
        {%- elif value is string and value | trim | lower in ('true', 'false') -%}
            {%- set result = value | trim | lower == 'true' -%}
        {%- else -%}
            {%- set problem = 'is not true or false' -%}
        {%- endif -%}
    {%- elif kind == 'choice' -%}
        {%- if value is not string or value | trim | lower not in spec.choices -%}
            {%- set problem = 'is not one of ' ~ spec.choices | join(', ') -%}
        {%- else -%}
            {%- set result = value | trim | lower -%}
        {%- endif -%}
    {%- elif kind == 'timestamp' -%}
        {%- if value is not string or not modules.re.fullmatch(
                '[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?', value | trim) -%}
            {%- set problem = 'is not a timestamp' -%}
        {%- else -%}
            {%- set result = value | trim -%}
        {%- endif -%}
    {%- endif -%}
    {%- if problem -%}
        {#- a list's bad entry is shown alone, not the whole list -#}
        {%- set subject = 'var ' ~ name ~ ('' if problem.startswith('has an entry') else ' = ' ~ shown_value(value)) -%}
        {{ return({'value': none, 'problem': subject ~ ' ' ~ problem
            ~ '. Fix: set it (in dbt_project.yml or --vars) to ' ~ spec.fix ~ '.'}) }}
    {%- endif -%}
    {{ return({'value': result, 'problem': none}) }}
{%- endmacro %}

{#- Why text is not an acceptable column or schema name, or none: letters, digits and underscores,
    starting with a letter or an underscore, at most 63 characters (what every engine accepts
    unquoted). -#}
{% macro identifier_problem(text) -%}
    {%- if text is not string or not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]{0,62}', text) -%}
        {{ return('is not a plain name (letters, digits and underscores, starting with a letter or an '
            ~ 'underscore, at most 63 characters)') }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- Why value is not a number in [low, high] (a whole number when whole), or none. Numbers may be
    given as text ('1.5'), never as true / false. -#}
{% macro number_problem(value, low, high, whole) -%}
    {%- if value is boolean -%}
        {{ return('is not a number') }}
    {%- elif value is string -%}
        {%- if not modules.re.fullmatch('-?[0-9]{1,12}([.][0-9]{1,12})?', value | trim) -%}
            {{ return('is not a number') }}
        {%- endif -%}
        {%- set number = value | trim | float -%}
    {%- elif value is number -%}
        {%- set number = value -%}
    {%- else -%}
        {{ return('is not a number') }}
    {%- endif -%}
    {%- if not (number >= low and number <= high) -%}
        {{ return('is not between ' ~ low ~ ' and ' ~ high) }}
    {%- endif -%}
    {%- if whole and number != (number | int) -%}
        {{ return('is not a whole number') }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- The event types of var event_types as the SQL list the seed checks compare a field with
    (('') when there are none, which nothing equals). -#}
{% macro event_type_list_sql() -%}
    {%- set event_types = [] -%}
    {%- for entry in project_var('event_types') -%}
        {%- do event_types.append(entry.event_type) -%}
    {%- endfor -%}
    {{ return(sql_string_list(event_types) if event_types else "('')") }}
{%- endmacro %}

{#- An event type of var event_types as {'event_type': its value as staged (trimmed, lower-case),
    'column': the stem of its feature columns (<column>_<days>d: runs of other characters than
    letters and digits become one underscore), 'problem': why it cannot be used, or none}. -#}
{% macro event_type_entry(item) -%}
    {%- if item is not string or item | trim == '' -%}
        {{ return({'event_type': none, 'column': none, 'problem': 'is not a text'}) }}
    {%- endif -%}
    {%- set event_type = item | trim | lower -%}
    {%- if event_type | length > 50 -%}
        {{ return({'event_type': none, 'column': none, 'problem': 'is longer than 50 characters'}) }}
    {%- endif -%}
    {%- set column = modules.re.sub('[^a-z0-9]+', '_', event_type).strip('_') -%}
    {%- if column == '' -%}
        {{ return({'event_type': none, 'column': none, 'problem': 'has no letter or digit'}) }}
    {%- endif -%}
    {%- if column[0] in '0123456789' -%}
        {%- set column = 'event_' ~ column -%}
    {%- endif -%}
    {{ return({'event_type': event_type, 'column': column, 'problem': none}) }}
{%- endmacro %}

{#- A value as shown in a message: one line, at most 60 characters. -#}
{% macro shown_value(value) -%}
    {%- set text = (value | string).replace('\n', ' ').replace('\r', ' ') -%}
    {%- if text | length > 60 -%}
        {%- set text = text[:57] ~ '...' -%}
    {%- endif -%}
    {{ return("'" ~ text ~ "'") }}
{%- endmacro %}

{#- var min_plausible_timestamp as a timestamp literal: earlier times are implausible and quarantined. -#}
{% macro min_plausible_timestamp() -%}
    {{ return(timestamp_literal(project_var('min_plausible_timestamp'))) }}
{%- endmacro %}
