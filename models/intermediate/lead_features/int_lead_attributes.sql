{#- The long attribute view rules are matched against: one row per lead per scorable attribute
    (lead_attribute_catalog), with a text value (null = missing) and a numeric value (null when
    not a number; always null for booleans, which are the text 'true' / 'false'). -#}
{#- A view: int_attribute_rule_matches reads only the attributes rules use, so the engine
    prunes the other union branches instead of storing every attribute of every lead. -#}

with

profile as (

    select * from {{ ref('int_lead_profile') }}

),

final as (
    {%- for a in lead_attribute_catalog() %}

        select
            lead_id,
            cast({{ sql_string(a.name) }} as {{ dbt.type_string() }}) as attribute,
            cast({{ sql_string(a.kind) }} as {{ dbt.type_string() }}) as attribute_kind,
            {%- if a.kind == 'number' %}
                cast({{ a.name }} as {{ dbt.type_string() }}) as value_text,
                cast({{ a.name }} as {{ type_double() }}) as value_number
            {%- elif a.kind == 'boolean' %}
                case when {{ a.name }} then 'true' when not {{ a.name }} then 'false' end as value_text,
                cast(null as {{ type_double() }}) as value_number
            {%- else %}
                cast({{ a.name }} as {{ dbt.type_string() }}) as value_text,
                {{ safe_cast(a.name, type_double()) }} as value_number
            {%- endif %}
        from profile
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

)

select * from final
