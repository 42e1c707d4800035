{#- Stops the build when the scoring seeds have problems, listing each one with the file,
    the model, the row and the fix (from int_scoring_config_errors). Call it from a model:
    the ref makes that model depend on the check. -#}
{% macro assert_valid_scoring_config() -%}
    {%- set errors_relation = ref('int_scoring_config_errors') -%}
    {%- if execute and model.resource_type == 'model' and flags.WHICH in ('run', 'build') -%}
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
