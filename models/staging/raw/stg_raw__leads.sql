{#- One row per lead: the latest valid version (see base_raw__leads for ranking and validation). -#}
with

valid_latest as (

    select * from {{ ref('base_raw__leads') }}
    where quarantine_reason is null and version_rank = 1

),

final as (

    select
        lead_id,
        {%- for c in lead_text_columns() %}
            {{ c }},
        {%- endfor %}
        {{ regexp_extract_group('email', '@([^@]*)$') }} as email_domain,
        {%- for c in lead_numeric_columns() %}
            {{ c }},
        {%- endfor %}
        created_at,
        updated_at
    from valid_latest

)

select * from final
