{#- Working time as a clock: business seconds from Monday 1970-01-05 00:00 (local) to a local time
    given in epoch seconds, under a policy's working week (int_sla_policies columns, by prefix:
    wd_1 ... wd_7 flags Monday to Sunday, workdays_per_week, day_start_s, day_end_s). The working
    time between two moments is the difference of their clocks; business_clock_inverse turns a
    clock reading back into local epoch seconds (the end of the working time that reaches it).
    Closed forms, no calendar table: a week is 604800 s, a day 86400 s. -#}
{% macro business_clock(local_seconds, policy) -%}
    {%- set offset = '(' ~ local_seconds ~ ' - 345600)' -%}
    {%- set week = 'floor(' ~ offset ~ ' / 604800)' -%}
    {%- set in_week = '(' ~ offset ~ ' - ' ~ week ~ ' * 604800)' -%}
    {%- set weekday = 'floor(' ~ in_week ~ ' / 86400)' -%}
    {%- set second_of_day = '(' ~ in_week ~ ' - ' ~ weekday ~ ' * 86400)' -%}
    (
        ({{ week }} * {{ policy }}.workdays_per_week
        {%- for d in range(1, 7) %}
            + case when {{ weekday }} >= {{ d }} then {{ policy }}.wd_{{ d }} else 0 end
        {%- endfor %}
        ) * ({{ policy }}.day_end_s - {{ policy }}.day_start_s)
        + case {{ weekday }}
        {%- for d in range(1, 8) %}
            when {{ d - 1 }} then {{ policy }}.wd_{{ d }}
        {%- endfor %}
        end
        * case
            when {{ second_of_day }} <= {{ policy }}.day_start_s then 0
            when {{ second_of_day }} >= {{ policy }}.day_end_s then {{ policy }}.day_end_s - {{ policy }}.day_start_s
            else {{ second_of_day }} - {{ policy }}.day_start_s
        end
    )
{%- endmacro %}

{% macro business_clock_inverse(clock, policy) -%}
    {%- set daily = '(' ~ policy ~ '.day_end_s - ' ~ policy ~ '.day_start_s)' -%}
    {%- set day_index = '(ceil((' ~ clock ~ ') / ' ~ daily ~ ') - 1)' -%}
    {%- set week = 'floor(' ~ day_index ~ ' / ' ~ policy ~ '.workdays_per_week)' -%}
    {%- set nth = '(' ~ day_index ~ ' - ' ~ week ~ ' * ' ~ policy ~ '.workdays_per_week + 1)' -%}
    (
        345600
        + ({{ week }} * 7 + case
        {%- for d in range(1, 8) %}
            when {{ policy }}.wd_{{ d }} = 1 and {{ policy }}.workdays_through_{{ d }} = {{ nth }} then {{ d - 1 }}
        {%- endfor %}
        end) * 86400
        + {{ policy }}.day_start_s
        + (({{ clock }}) - {{ day_index }} * {{ daily }})
    )
{%- endmacro %}
