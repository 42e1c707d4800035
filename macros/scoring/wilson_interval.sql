{#- Wilson score interval (95%, z = 1.96) for a proportion of `successes` out of `trials`:
    (p + z^2/2n -/+ z * sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), p = successes / trials.
    bound: 'lower' or 'upper'. The bounds at p = 0 and p = 1 are exactly 0 and 1 (the formula
    leaves floating-point dust there). -#}
{% macro wilson_interval(successes, trials, bound) -%}
    {%- set z2 = 3.8416 -%}
    {%- set p = '(cast(' ~ successes ~ ' as ' ~ type_double() ~ ') / nullif(' ~ trials ~ ', 0))' -%}
    case
        when {{ successes }} = {{ '0' if bound == 'lower' else trials }} then {{ '0.0' if bound == 'lower' else '1.0' }}
        else (
            ({{ p }} + {{ z2 }} / (2.0 * {{ trials }}))
            {{ '-' if bound == 'lower' else '+' }} 1.96 * sqrt({{ p }} * (1 - {{ p }}) / {{ trials }}
                + {{ z2 }} / (4.0 * {{ trials }} * {{ trials }}))
        ) / (1 + {{ z2 }} / {{ trials }})
    end
{%- endmacro %}
