{#- Stops the build when the scoring seeds have problems, listing each one with the file,
    the model, the row and the fix (from int_scoring_config_errors). Call it from a model:
    the ref makes that model depend on the check. Where int_scoring_config_errors is a table
    (Spark), it first refuses one stored from other seed files than those now. -#}
{% macro assert_valid_scoring_config() -%}
    {%- set errors_relation = ref('int_scoring_config_errors') -%}
    {%- if execute and model.resource_type == 'model' and flags.WHICH in ('run', 'build') -%}
        {%- set stored_checksum = config_errors_stored_checksum(errors_relation) -%}
        {%- if stored_checksum is not none and stored_checksum != scoring_seeds_checksum() -%}
            {{ exceptions.raise_compiler_error(
                errors_relation ~ ' was built from other seed files than those in seeds/ now, so its checks '
                ~ 'may be stale. Fix: build it again before ' ~ model.name ~ ', e.g. dbt build --select '
                ~ 'int_scoring_config_errors+ (dbt build and leadscore build do it first).') }}
        {%- endif -%}
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
{%- endmacro %}
