{#- Exponential decay 0.5 ^ (age / half_life). A null or zero half-life means no decay. -#}
{% macro decay_factor(age_days, half_life_days) -%}
    case
        when {{ half_life_days }} is null or {{ half_life_days }} = 0 then 1.0
        else power(0.5, {{ age_days }} / {{ half_life_days }})
    end
{%- endmacro %}
