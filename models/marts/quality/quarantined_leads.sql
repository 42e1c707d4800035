{#- Raw lead rows rejected by staging, with the input contract's values as text and the reason
    (a fixed contract: custom columns named in the vars are not repeated here; the raw row keeps
    them). -#}
with

checked as (

    select * from {{ ref('base_raw__leads') }}

),

final as (

    select
        lead_id,
        {%- for c in contract_lead_text_columns() %}
            {{ c }},
        {%- endfor %}
        {%- for c in contract_lead_numeric_columns() %}
            {{ c }}_raw as {{ c }},
        {%- endfor %}
        created_at_raw as created_at,
        updated_at_raw as updated_at,
        quarantine_reason
    from checked
    where quarantine_reason is not null

)

select * from final
