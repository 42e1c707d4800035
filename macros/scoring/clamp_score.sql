{#- A dimension score: points clamped to the 0-100 scale. -#}
{% macro clamp_score(points) -%}
    case
        when {{ points }} < 0 then 0.0
        when {{ points }} > 100 then 100.0
        else {{ points }}
    end
{%- endmacro %}
