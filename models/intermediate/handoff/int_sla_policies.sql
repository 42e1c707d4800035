{#- The SLA policies (seeds/sla_policies.csv, checked first), with the working week as the numbers
    the business_clock macros read: a 0/1 flag per weekday (wd_1 Monday ... wd_7 Sunday), the
    working days up to each weekday, the working day's start and end in seconds, and the allowed
    response in seconds. A clock-hours policy works around the clock, every day. -#}
{{ assert_valid_scoring_config() }}
{%- set days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] %}

with

policies as (

    select * from {{ ref('stg_scoring_config__sla_policies') }}

),

flagged as (

    select
        model,
        policy_order,
        policy_id,
        score_band,
        response_hours,
        business_hours,
        time_zone,
        {%- for day in days %}
            case
                when not business_hours then 1
                when {{ in_label_list(sql_string(day), 'workdays') }} then 1
                else 0
            end as wd_{{ loop.index }},
        {%- endfor %}
        case when business_hours then workday_start_hour * 3600 else 0 end as day_start_s,
        case when business_hours then workday_end_hour * 3600 else 86400 end as day_end_s,
        response_hours * 3600 as response_s,
        description
    from policies

),

final as (

    select
        *,
        {%- for n in range(1, 8) %}
            {% for d in range(1, n + 1) %}wd_{{ d }}{% if not loop.last %} + {% endif %}{% endfor %} as workdays_through_{{ n }},
        {%- endfor %}
        wd_1 + wd_2 + wd_3 + wd_4 + wd_5 + wd_6 + wd_7 as workdays_per_week
    from flagged

)

select * from final
