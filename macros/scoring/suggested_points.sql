{#- The closing-rate method's suggested points for a signal (articles 000 and 003), capped at
    max_points either way; null when the signal is too thin (is_supported false):
      difference: (close rate - overall) in percentage points - 40% vs 15% gives 25;
      ratio:      close rate / overall - 20% vs 1% gives 20; below the overall rate,
                  -(overall / close rate) when at most half of it (a close rate of 0: -max_points),
                  else 0. -#}
{% macro suggested_points(method, close_rate, overall_rate, is_supported, max_points) -%}
    {%- if method == 'difference' -%}
    case
        when not {{ is_supported }} then null
        else {{ cap_points('round(100 * (' ~ close_rate ~ ' - ' ~ overall_rate ~ '), 0)', max_points) }}
    end
    {%- else -%}
    case
        when not {{ is_supported }} or {{ overall_rate }} = 0 then null
        when {{ close_rate }} >= {{ overall_rate }}
            then {{ cap_points('round(' ~ close_rate ~ ' / ' ~ overall_rate ~ ', 0)', max_points) }}
        when {{ close_rate }} = 0 then -{{ max_points }}
        when {{ close_rate }} <= {{ overall_rate }} / 2
            then {{ cap_points('-round(' ~ overall_rate ~ ' / ' ~ close_rate ~ ', 0)', max_points) }}
        else 0
    end
    {%- endif -%}
{%- endmacro %}

{#- Stops the build when var calibration_method is not one of the two recipes. -#}
{% macro calibration_method() -%}
    {%- set method = project_var('calibration_method') -%}
    {%- if method not in ('difference', 'ratio') -%}
        {{ exceptions.raise_compiler_error("var calibration_method = '" ~ method ~ "' (dbt_project.yml or --vars). "
            ~ "Fix: use 'difference' or 'ratio'.") }}
    {%- endif -%}
    {{ return(method) }}
{%- endmacro %}
