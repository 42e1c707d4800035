{#- Every raw conversion row, typed, with the reason it is rejected (null when valid).
    A lead may convert more than once (several deals), so there is no de-duplication. -#}
{%- set raw_types = raw_column_types('conversions') %}

with

source as (

    select * from {{ source('raw', 'conversions') }}

),

known_leads as (

    select lead_id from {{ ref('stg_raw__leads') }}

),

cleaned as (

    select
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('converted_at') }} as converted_at_raw,
        {{ utc_timestamp('converted_at', raw_types.get('converted_at', '')) }} as converted_at,
        {{ clean_text('deal_value') }} as deal_value_raw,
        case
            when {{ is_finite_number(safe_cast(clean_text('deal_value'), type_double())) }}
                then {{ safe_cast(clean_text('deal_value'), type_double()) }}
        end as deal_value
    from source

),

final as (

    select
        cleaned.*,
        case
            when cleaned.lead_id is null then 'missing_lead_id'
            when cleaned.converted_at_raw is null then 'missing_converted_at'
            when cleaned.converted_at is null then 'unparseable_converted_at'
            when cleaned.converted_at < {{ min_plausible_timestamp() }}
                then 'implausible_converted_at'
            when cleaned.deal_value_raw is not null and cleaned.deal_value is null then 'unparseable_deal_value'
            when cleaned.deal_value < 0 then 'negative_deal_value'
            when known_leads.lead_id is null then 'unknown_lead'
        end as quarantine_reason
    from cleaned
    left join known_leads
        on cleaned.lead_id = known_leads.lead_id

)

select * from final
