{#- Each lead's probability of converting within the backtest horizon, per logistic regression in
    the predictive_weights seed (`leadscore train` fits it): logit = intercept + sum of coefficient x
    encoded feature, probability = 1 / (1 + exp(-logit)). A numeric feature is encoded as
    (transform(clip(coalesce(value, fill_value))) - center) / scale, clip bounding it to the training
    range [clip_low, clip_high] (open where blank); a text feature as 1 for the level a term names,
    else 0; a declared interaction 'a*b' of two text features has the level 'value of a | value of b'.
    A term contributes coefficient x encoded value; the three largest positive and three most
    negative, as labels round them (two decimals), are the top factors (ties: the earlier term, by
    feature and level, first among positive ones, the later among negative ones; beyond +-4.4e10 all
    are equal). A table on Spark, whose local metastore keeps views up to 32,700 characters. -#}
{{ config(materialized=heavy_view_materialization()) }}
{%- set term_key = predictive_term_key('contribution', 'term_id') %}
{%- set factor_slots = [] %}
{%- for side, list in [('positive', 'largest_terms'), ('negative', 'smallest_terms')] %}
    {%- for slot in [1, 2, 3] %}{% do factor_slots.append((side, slot, list)) %}{% endfor %}
{%- endfor %}

with

features as (

    select * from {{ ref('int_lead_features') }}

),

lead_numeric_features as (

    -- a lead's numeric features as one list: a term reads its value at its feature's position
    select
        features.lead_id,
        {{ predictive_feature_list('features') }} as numeric_features
    from features

),

weights as (

    select * from {{ ref('stg_scoring_config__predictive_weights') }}

),

intercepts as (

    select
        model,
        coefficient as intercept
    from weights
    where kind = 'intercept'

),

terms as (

    -- term_id follows (feature, level): ranking by it breaks ties as the labels would sort
    select
        *,
        row_number() over (partition by model order by feature asc, level asc) as term_id,
        {{ predictive_feature_position('feature') }} as feature_position
    from weights
    where kind in ('numeric', 'category')

),

single_text_values as (

    -- a lead's text features, one row each: only the level a lead has can contribute
    {%- for c in predictive_text_features() %}
        select
            lead_id,
            {{ sql_string(c) }} as feature,
            cast({{ c }} as {{ dbt.type_string() }}) as text_value
        from features
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

interactions as (

    -- the pairs of text features the terms name (a declared interaction's feature is 'a*b')
    select distinct
        feature,
        {{ dbt.split_part('feature', "'*'", 1) }} as first_feature,
        {{ dbt.split_part('feature', "'*'", 2) }} as second_feature
    from terms
    where kind = 'category' and feature like '%*%'

),

text_values as (

    select * from single_text_values
    union all
    -- an interaction's level is both values, 'a | b' (none where either is missing)
    select
        first_values.lead_id,
        interactions.feature,
        {{ dbt.concat(['first_values.text_value', "' | '", 'second_values.text_value']) }} as text_value
    from interactions
    inner join single_text_values as first_values
        on interactions.first_feature = first_values.feature
    inner join single_text_values as second_values
        on first_values.lead_id = second_values.lead_id
            and interactions.second_feature = second_values.feature
    where first_values.text_value is not null and second_values.text_value is not null

),

category_contributions as (

    select
        text_values.lead_id,
        terms.model,
        terms.term_id,
        terms.coefficient as contribution
    from text_values
    inner join terms
        on text_values.feature = terms.feature
            and text_values.text_value = terms.level
    where terms.kind = 'category'

),

numeric_values as (

    -- every lead against every numeric term
    select
        lead_numeric_features.lead_id,
        terms.model,
        terms.term_id,
        terms.transform,
        terms.fill_value,
        terms.clip_low,
        terms.clip_high,
        terms.center,
        terms.scale,
        terms.coefficient,
        {{ list_element('lead_numeric_features.numeric_features', 'terms.feature_position') }} as numeric_value
    from lead_numeric_features
    cross join terms
    where terms.kind = 'numeric'

),

numeric_contributions as (

    select
        numeric_values.lead_id,
        numeric_values.model,
        numeric_values.term_id,
        {{ predictive_term_contribution('numeric_values', 'numeric_values.numeric_value') }} as contribution
    from numeric_values

),

contributions as (

    select * from category_contributions
    union all
    select * from numeric_contributions

),

lead_terms as (

    -- a lead's logit sum and its three largest and three smallest terms by predictive_term_key:
    -- aggregates that keep n values, not a sort of all of a lead's terms (zero ones add nothing)
    select
        lead_id,
        model,
        sum(contribution) as contribution_sum,
        {{ top_n(term_key, 3) }} as largest_terms,
        {{ bottom_n(term_key, 3) }} as smallest_terms
    from contributions
    where contribution <> 0
    group by lead_id, model

),

top_term_values as (

    -- the six slots' terms (the aggregation keeps their ids only) and, for a numeric term, the
    -- lead's value of its feature (a text term's feature_position is null: no value)
    select
        lead_numeric_features.lead_id,
        intercepts.model,
        intercepts.intercept + coalesce(lead_terms.contribution_sum, 0) as logit,
        {%- for side, slot, list in factor_slots %}
            {%- set t = side ~ '_term_' ~ slot %}
            {%- for c in ['feature', 'kind', 'level', 'transform', 'fill_value', 'clip_low', 'clip_high', 'center', 'scale', 'coefficient'] %}
                {{ t }}.{{ c }} as {{ t }}_{{ c }},
            {%- endfor %}
            {{ list_element('lead_numeric_features.numeric_features', t ~ '.feature_position') }}
                as {{ t }}_numeric_value{% if not loop.last %},{% endif %}
        {%- endfor %}
    from lead_numeric_features
    cross join intercepts
    left join lead_terms
        on lead_numeric_features.lead_id = lead_terms.lead_id and intercepts.model = lead_terms.model
    {%- for side, slot, list in factor_slots %}
        left join terms as {{ side }}_term_{{ slot }}
            on lead_terms.model = {{ side }}_term_{{ slot }}.model
                and {{ predictive_term_id(list_element('lead_terms.' ~ list, slot)) }} = {{ side }}_term_{{ slot }}.term_id
    {%- endfor %}

),

top_term_contributions as (

    -- each slot's contribution again: the coefficient of a text term, the expression of
    -- numeric_contributions for a numeric one (so the same double)
    select
        *,
        {%- for side, slot, list in factor_slots %}
            {%- set t = side ~ '_term_' ~ slot %}
            case
                when {{ t }}_kind = 'category' then {{ t }}_coefficient
                else {{ predictive_term_contribution(t, t ~ '_numeric_value', separator='_') }}
            end as {{ t }}_contribution{% if not loop.last %},{% endif %}
        {%- endfor %}
    from top_term_values

),

final as (

    select
        lead_id,
        model,
        {{ score_as_of() }} as scored_at,
        logit,
        1 / (1 + exp(-logit)) as conversion_probability,
        {%- for side, slot, list in factor_slots %}
            {%- set t = side ~ '_term_' ~ slot %}
            case
                when {{ t }}_contribution {{ '>' if side == 'positive' else '<' }} 0
                    then {{ factor_label(
                        t ~ "_feature",
                        "case when " ~ t ~ "_kind = 'category' then " ~ t ~ "_level else "
                            ~ "coalesce(" ~ format_number(t ~ '_numeric_value') ~ ", 'missing') end",
                        t ~ '_contribution') }}
            end as top_{{ side }}_factor_{{ slot }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from top_term_contributions

)

select * from final
