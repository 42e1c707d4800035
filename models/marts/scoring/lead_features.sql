{#- The per-lead feature table as of T for BI, with a fixed contract: the input contract's lead
    attributes, derived attributes, activity timestamps and the days since them. The columns the
    project's vars add (custom lead attributes, event counts per type and window) are in
    lead_features_custom, so naming a custom column never changes this table. -#}
with

features as (

    select * from {{ ref('int_lead_features') }}

),

final as (

    select
        lead_id,
        features_as_of,
        {%- for c in contract_lead_text_columns() + ['email_domain', 'email_domain_type'] + contract_lead_numeric_columns() %}
            {{ c }},
        {%- endfor %}
        created_at,
        updated_at,
        name_without_capital,
        keyboard_run,
        invalid_email,
        spam_signals,
        optional_fields_filled,
        first_activity_at,
        last_activity_at,
        last_email_engagement_at,
        days_since_last_activity,
        days_since_last_email_engagement,
        days_since_created,
        events_total
    from features

)

select * from final
