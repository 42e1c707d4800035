{#- Stops the build when the scoring seeds have problems, listing each one with the file,
    the model, the row and the fix (from int_scoring_config_errors). Call it from a model:
    the refs make that model depend on the check. Where int_scoring_config_errors is a table
    (Spark), it first refuses one stored from other seed files than those now. The one-row
    int_scoring_config_status settles a valid set of seeds without querying the checks' large
    view again: when it was computed from the seed files there are now and counted no problem. -#}
{% macro assert_valid_scoring_config() -%}
    {%- set errors_relation = ref('int_scoring_config_errors') -%}
    {%- set status_relation = ref('int_scoring_config_status') -%}
    {%- if execute and model.resource_type == 'model' and flags.WHICH in ('run', 'build') -%}
        {%- set seeds_checksum = scoring_seeds_checksum() -%}
        {%- set stored_checksum = config_errors_stored_checksum(errors_relation) -%}
        {%- if stored_checksum is not none and stored_checksum != seeds_checksum -%}
            {{ exceptions.raise_compiler_error(
                errors_relation ~ ' was built from other seed files than those in seeds/ now, so its checks '
                ~ 'may be stale. Fix: build it again before ' ~ model.name ~ ', e.g. dbt build --select '
                ~ 'int_scoring_config_errors+ (dbt build and leadscore build do it first).') }}
        {%- endif -%}
        {%- if not scoring_config_status_is_clean(status_relation, seeds_checksum) -%}
            {%- set result = run_query(
                'select seed_file, model, row_key, problem from ' ~ errors_relation
                ~ ' order by seed_file, model, row_key, problem') -%}
            {%- if result.rows | length > 0 -%}
                {%- set lines = [] -%}
                {%- for row in result.rows -%}
                    {%- do lines.append('  - ' ~ row[0] ~ ': model ' ~ (row[1] or '(any)') ~ ', ' ~ row[2] ~ ': ' ~ row[3]) -%}
                {%- endfor -%}
                {{ exceptions.raise_compiler_error(
                    'The scoring seeds have ' ~ (result.rows | length) ~ ' problem(s); fix them and run again:\n'
                    ~ lines | join('\n')) }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- True when int_scoring_config_status exists, was stored from the seed files whose checksum is
    given and counted no problem. -#}
{% macro scoring_config_status_is_clean(status_relation, seeds_checksum) -%}
    {%- if load_relation(status_relation) is none -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set result = run_query('select seeds_checksum, problems from ' ~ status_relation) -%}
    {{ return(result.rows | length == 1 and result.rows[0][0] == seeds_checksum and result.rows[0][1] == 0) }}
{%- endmacro %}
