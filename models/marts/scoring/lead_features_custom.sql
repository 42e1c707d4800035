{#- The per-lead feature columns whose set the project's vars decide, one row per lead as of T:
    the custom lead attributes (vars lead_attribute_columns and lead_numeric_attribute_columns,
    beyond the input contract's) and the event counts per type and window (<type>_<days>d, vars
    event_types x feature_windows_days). No contract, as its columns follow the vars; join it to
    lead_features on lead_id. -#}
{%- set contract_columns = contract_lead_text_columns() + contract_lead_numeric_columns() %}
{%- set custom_columns = (lead_text_columns() + lead_numeric_columns()) | reject('in', contract_columns) | list %}

with

features as (

    select * from {{ ref('int_lead_features') }}

),

final as (

    select
        lead_id,
        {%- for c in custom_columns %}
            {{ c }},
        {%- endfor %}
        {%- for event_type, days, column in window_count_columns() %}
            {{ column }},
        {%- endfor %}
        features_as_of
    from features

)

select * from final
