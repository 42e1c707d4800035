{#- The wide per-lead feature table as of T for BI and later models: cleaned attributes,
    derived attributes, activity timestamps and event counts per type and window. -#}
with

profile as (

    select * from {{ ref('int_lead_profile') }}

),

activity as (

    select * from {{ ref('int_lead_activity') }}

),

final as (

    select
        profile.lead_id,
        {{ score_as_of() }} as features_as_of,
        {%- for c in lead_text_columns() + ['email_domain', 'email_domain_type'] + lead_numeric_columns() %}
            profile.{{ c }},
        {%- endfor %}
        profile.created_at,
        profile.updated_at,
        profile.name_without_capital,
        profile.keyboard_run,
        profile.invalid_email,
        profile.spam_signals,
        profile.optional_fields_filled,
        profile.first_activity_at,
        profile.last_activity_at,
        profile.last_email_engagement_at,
        profile.days_since_last_activity,
        profile.days_since_last_email_engagement,
        profile.days_since_created,
        profile.events_total,
        {%- for event_type, days, column in window_count_columns() %}
            cast(coalesce(activity.{{ column }}, 0) as {{ dbt.type_int() }}) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from profile
    left join activity
        on profile.lead_id = activity.lead_id

)

select * from final
