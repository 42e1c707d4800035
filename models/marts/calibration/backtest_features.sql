{#- The training table of `leadscore train`: per lead scored as of T and not converted by T,
    the candidate features of lead_features as predictive models see them (text as text, numbers
    and flags as doubles) and the backtest label. -#}

with

features as (

    select * from {{ ref('int_lead_features') }}

),

outcomes as (

    select * from {{ ref('int_backtest_outcomes') }}

),

final as (

    select
        features.lead_id,
        features.features_as_of,
        {%- for c in predictive_text_features() %}
            cast(features.{{ c }} as {{ dbt.type_string() }}) as {{ c }},
        {%- endfor %}
        {%- for c in predictive_numeric_features() %}
            {{ predictive_numeric_value('features.' ~ c) }} as {{ c }},
        {%- endfor %}
        coalesce(outcomes.converted_in_horizon, false) as converted
    from features
    left join outcomes
        on features.lead_id = outcomes.lead_id
    where not coalesce(outcomes.converted_before, false)

)

select * from final
