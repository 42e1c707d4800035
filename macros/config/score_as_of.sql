{#- The as-of time T of every score, as a timestamp literal (UTC).
    var score_as_of: 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS]' (a 'T' separator works too); when it
    is empty, the environment variable LEAD_SCORING_AS_OF (how leadscore --as-of passes T);
    when both are empty: the start time of the dbt invocation, so every model of one run shares T.
    The environment variable is read only while executing: dbt re-parses the whole project
    whenever --vars change (about twice the start-up at each new as-of), but it does not track
    an environment variable that parsing never reads, and parsing never needs T. -#}
{% macro score_as_of() -%}
    {{ return("cast('" ~ score_as_of_text() ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}

{% macro score_as_of_text() -%}
    {%- set raw = (var('score_as_of', '') or '') | string | trim -%}
    {%- set source = 'var score_as_of' -%}
    {%- if raw == '' and execute -%}
        {%- set raw = env_var('LEAD_SCORING_AS_OF', '') | trim -%}
        {%- set source = 'LEAD_SCORING_AS_OF' -%}
    {%- endif -%}
    {%- if raw in ('', 'none', 'None', 'now') -%}
        {{ return(run_started_at.strftime('%Y-%m-%d %H:%M:%S')) }}
    {%- endif -%}
    {%- set m = modules.re.match('^(\\d{4})-(\\d{2})-(\\d{2})(?:[ T](\\d{2}):(\\d{2})(?::(\\d{2}))?)?(?:Z|\\+00:00)?$', raw) -%}
    {#- the days of the month m names (February: 29 in leap years), so 2026-02-30 is refused here,
        as the runner refuses it, instead of failing later in the engine's cast -#}
    {%- set month_days = 0 -%}
    {%- if m and 1 <= (m.group(2) | int) <= 12 -%}
        {%- set year = m.group(1) | int -%}
        {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
        {%- set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(m.group(2) | int) - 1] -%}
    {%- endif -%}
    {%- if not m or (m.group(3) | int) < 1 or (m.group(3) | int) > month_days
          or (m.group(4) or '0') | int > 23 or (m.group(5) or '0') | int > 59
          or (m.group(6) or '0') | int > 59 -%}
        {%- if source == 'LEAD_SCORING_AS_OF' -%}
            {%- set fix = "set LEAD_SCORING_AS_OF to YYYY-MM-DD[ HH:MM[:SS]] (UTC), e.g. '2024-06-30 00:00:00', "
                ~ "or unset it to score as of now." -%}
        {%- else -%}
            {%- set fix = "pass --vars '{score_as_of: \"2024-06-30 00:00:00\"}' (format YYYY-MM-DD[ HH:MM[:SS]]) "
                ~ "or leave it empty to score as of now." -%}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(source ~ " = '" ~ raw ~ "' is not a UTC timestamp. Fix: " ~ fix) }}
    {%- endif -%}
    {{ return(m.group(1) ~ '-' ~ m.group(2) ~ '-' ~ m.group(3) ~ ' '
        ~ (m.group(4) or '00') ~ ':' ~ (m.group(5) or '00') ~ ':' ~ (m.group(6) or '00')) }}
{%- endmacro %}

{#- on-run-start: reads T once before any node runs, so a bad LEAD_SCORING_AS_OF (read only while
    executing, see above) stops the run before seeds load, as a bad var does while parsing. Renders
    no SQL. -#}
{% macro check_score_as_of() -%}
    {%- if execute -%}
        {%- do score_as_of_text() -%}
        {%- set subset = run_builds_a_subset() -%}
        {%- set timed = selected_models_reading_the_as_of() if subset else [] -%}
        {%- if timed and not as_of_is_explicit() -%}
            {{ exceptions.raise_compiler_error(
                'This run builds part of the project (' ~ subset ~ ') with no as-of, so its models that score as of '
                ~ 'T (' ~ timed[:3] | join(', ') ~ (', ...' if timed | length > 3 else '') ~ ') would use its own '
                ~ 'start time, not the T of the run\'s other parts. Fix: give every part of the run the same as-of: '
                ~ "LEAD_SCORING_AS_OF='YYYY-MM-DD HH:MM:SS' (or --vars '{score_as_of: ...}', or leadscore build "
                ~ '--as-of).') }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- The models this run builds that compute with T themselves (their SQL calls one of the
    macros below; a model that only reads such a model does not): a split run must give them one T. -#}
{% macro selected_models_reading_the_as_of() -%}
    {%- set as_of_macros = ['score_as_of', 'score_as_of_text', 'age_days', 'window_start', 'event_state_plan',
        'event_state_events', 'history_summary_plan', 'lifecycle_plan'] -%}
    {%- set timed = [] -%}
    {%- for unique_id in selected_resources if unique_id.startswith('model.') -%}
        {%- for dependency in graph.nodes[unique_id].depends_on.macros
                if dependency.split('.')[-1] in as_of_macros and graph.nodes[unique_id].name not in timed -%}
            {%- do timed.append(graph.nodes[unique_id].name) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(timed | sort) }}
{%- endmacro %}

{#- True when var score_as_of or LEAD_SCORING_AS_OF names a time (not empty, not 'now'). -#}
{% macro as_of_is_explicit() -%}
    {%- set given = (var('score_as_of', '') or '') | string | trim or env_var('LEAD_SCORING_AS_OF', '') | trim -%}
    {{ return(given not in ('', 'none', 'None', 'now')) }}
{%- endmacro %}

{#- How this dbt build or run selects part of the project ('--select ...'), or '' when it builds all
    of it (the default selector) or the event side alone (selector ingest: its nodes run in one
    invocation, which shares one T). Separate invocations that each build a part - an orchestrator's
    tasks - must share the as-of. -#}
{% macro run_builds_a_subset() -%}
    {%- if invocation_args_dict.get('which') not in ('build', 'run') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set parts = [] -%}
    {#- what the whole project is spelled as: everything (fqn:*), or all but the calibration
        analyses (the default selector, which the runner spells as --exclude tag:calibration) -#}
    {%- set whole = {'select': ['fqn:*'], 'exclude': ['tag:calibration']} -%}
    {%- for flag in ['select', 'exclude'] -%}
        {%- set values = invocation_args_dict.get(flag) or [] -%}
        {%- if values and values | list != whole[flag] -%}
            {%- do parts.append('--' ~ flag ~ ' ' ~ values | join(' ')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set selector = invocation_args_dict.get('selector') -%}
    {%- if selector and selector not in ('daily', 'ingest') -%}
        {%- do parts.append('--selector ' ~ selector) -%}
    {%- endif -%}
    {{ return(parts | join(', ')) }}
{%- endmacro %}
