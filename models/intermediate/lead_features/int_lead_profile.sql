{#- One row per lead scored as of T with its cleaned attributes and the derived ones the
    articles score: email domain type, spam signals, optional fields filled and recency, and what
    sales decided (sales_status and days since it, since the last rejection and the last lost deal;
    missing without such an outcome at or before T). -#}
{{ config(materialized='table') }}

{%- set optional_fields = ['phone', 'job_title', 'seniority', 'department', 'company', 'industry',
    'employees', 'annual_revenue', 'country', 'region', 'city'] %}

with

leads as (

    select * from {{ ref('int_leads_as_of') }}

),

activity as (

    select * from {{ ref('int_lead_activity') }}

),

domain_types as (

    select * from {{ ref('int_email_domain_types') }}

),

sales as (

    select * from {{ ref('int_lead_sales_status') }}

),

signals as (

    select
        leads.*,
        domain_types.list_type as email_domain_list,
        coalesce({{ without_capital('leads.first_name') }} or {{ without_capital('leads.last_name') }}, false)
            as name_without_capital,
        coalesce({{ regexp_matches(
            'lower(' ~ dbt.concat(["coalesce(leads.first_name, '')", "' '", "coalesce(leads.last_name, '')",
                "' '", "coalesce(leads.company, '')"]) ~ ')', keyboard_run_pattern()) }}, false) as keyboard_run,
        coalesce(leads.email is not null and not {{ regexp_matches('leads.email', valid_email_pattern()) }}, false)
            as invalid_email,
        {%- for f in optional_fields %}
            case when leads.{{ f }} is not null then 1 else 0 end{% if not loop.last %} +{% endif %}
        {%- endfor %} as optional_fields_filled,
        activity.first_activity_at,
        activity.last_activity_at,
        activity.last_email_engagement_at,
        coalesce(activity.events_total, 0) as events_total,
        sales.sales_status,
        sales.sales_status_at,
        sales.last_rejected_at as sales_rejected_at,
        sales.last_lost_at as sales_lost_at
    from leads
    left join activity
        on leads.lead_id = activity.lead_id
    left join domain_types
        on leads.email_domain = domain_types.domain
    left join sales
        on leads.lead_id = sales.lead_id

),

final as (

    select
        *,
        case
            when email is null then 'missing'
            when email_domain_list in ('internal', 'competitor') then email_domain_list
            when invalid_email then 'invalid'
            when email_domain_list is not null then email_domain_list
            else 'business'
        end as email_domain_type,
        (case when name_without_capital then 1 else 0 end)
        + (case when keyboard_run then 1 else 0 end)
        + (case when invalid_email then 1 else 0 end) as spam_signals,
        {{ age_days('last_activity_at') }} as days_since_last_activity,
        {{ age_days('last_email_engagement_at') }} as days_since_last_email_engagement,
        {{ age_days('created_at') }} as days_since_created,
        {{ age_days('sales_status_at') }} as days_since_sales_status,
        {{ age_days('sales_rejected_at') }} as days_since_sales_rejected,
        {{ age_days('sales_lost_at') }} as days_since_sales_lost
    from signals

)

select * from final
