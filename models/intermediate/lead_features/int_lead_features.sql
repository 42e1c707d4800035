{#- Every per-lead feature as of T, one row per lead: cleaned attributes (custom ones named in
    the vars included), derived attributes, activity timestamps and event counts per type and
    window (var event_types x var feature_windows_days). Its columns follow the vars, so it has
    no contract: lead_features publishes the fixed ones under a contract, lead_features_custom
    the ones the vars add, and the predictive models read all of them here. -#}
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
