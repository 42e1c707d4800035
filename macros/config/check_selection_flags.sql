{#- on-run-start hook: dbt runs the whole named selector, tests included, and silently drops
    --select / --exclude given next to --selector; refuse the pair before any node runs -#}
{% macro check_selection_flags() -%}
    {%- if execute and invocation_args_dict.get('selector') -%}
        {%- set dropped = [] -%}
        {%- for flag in ['select', 'exclude'] -%}
            {%- if invocation_args_dict.get(flag) -%}
                {%- do dropped.append('--' ~ flag ~ ' ' ~ invocation_args_dict.get(flag) | join(' ')) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if dropped -%}
            {{ exceptions.raise_compiler_error(
                'dbt ignores ' ~ dropped | join(' and ') ~ ' next to --selector '
                ~ invocation_args_dict.get('selector') ~ ' and would run the whole selector. Fix: use either '
                ~ '--selector or --select/--exclude; to leave the tests out, add --exclude-resource-type test '
                ~ 'unit_test, which dbt honours next to --selector') }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
