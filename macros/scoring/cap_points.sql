{#- cap(x, c) = sign(x) * min(|x|, c); a null cap leaves x as it is. -#}
{% macro cap_points(points, cap) -%}
    case
        when {{ cap }} is null then {{ points }}
        when {{ points }} > {{ cap }} then {{ cap }}
        when {{ points }} < -{{ cap }} then -{{ cap }}
        else {{ points }}
    end
{%- endmacro %}
