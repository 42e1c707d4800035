{#- Each lead's probability of converting within the backtest horizon, per predictive model in
    the predictive_weights seed (a logistic regression fitted by `leadscore.py train`), computed in
    plain SQL so it runs wherever dbt runs:
      logit = intercept + sum of coefficient x encoded feature, probability = 1 / (1 + exp(-logit)),
    where a numeric feature is encoded as (transform(coalesce(value, fill_value)) - center) / scale
    and a text feature as 1 for the level a term names, else 0 (so a text term is joined to the
    leads that have its level, not evaluated for every lead). Each term's contribution is its
    coefficient x encoded value; the three largest positive and the three most negative are the
    lead's top factors. -#}
{{ assert_valid_scoring_config() }}
{%- set text_features = predictive_text_features() %}
{%- set numeric_features = predictive_numeric_features() %}

with

features as (

    select * from {{ ref('lead_features') }}

),

weights as (

    select * from {{ ref('int_predictive_weights') }}

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
        row_number() over (partition by model order by feature asc, level asc) as term_id
    from weights
    where kind in ('numeric', 'category')

),

text_values as (

    -- a lead's text features, one row each: only the level a lead has can contribute
    {%- for c in text_features %}
        select
            lead_id,
            '{{ c }}' as feature,
            cast({{ c }} as {{ dbt.type_string() }}) as text_value
        from features
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

category_contributions as (

    select
        text_values.lead_id,
        terms.model,
        terms.term_id,
        cast(null as {{ type_double() }}) as numeric_value,
        terms.coefficient as contribution
    from text_values
    inner join terms
        on text_values.feature = terms.feature
            and text_values.text_value = terms.level
    where terms.kind = 'category'

),

numeric_values as (

    -- every lead against every numeric term; the case picks the column the term names
    select
        features.lead_id,
        terms.model,
        terms.term_id,
        terms.transform,
        terms.fill_value,
        terms.center,
        terms.scale,
        terms.coefficient,
        case terms.feature
            {%- for c in numeric_features %}
                when '{{ c }}' then {{ predictive_numeric_value('features.' ~ c) }}
            {%- endfor %}
        end as numeric_value
    from features
    cross join terms
    where terms.kind = 'numeric'

),

numeric_contributions as (

    select
        lead_id,
        model,
        term_id,
        numeric_value,
        coefficient * ({{ predictive_transform('transform', 'coalesce(numeric_value, fill_value)') }} - center) / scale
            as contribution
    from numeric_values

),

contributions as (

    select * from category_contributions
    union all
    select * from numeric_contributions

),

ranked as (

    -- one sort over a narrow row: a lead's terms from the largest contribution down; counted
    -- from the other end, the same order gives the most negative first (among equal
    -- contributions, the later feature first)
    select
        lead_id,
        model,
        term_id,
        numeric_value,
        contribution,
        row_number() over (
            partition by lead_id, model order by contribution desc, term_id asc
        ) as positive_rank,
        count(*) over (partition by lead_id, model) as n_terms,
        -- terms with no contribution add nothing to the logit either
        sum(contribution) over (partition by lead_id, model) as contribution_sum
    from contributions
    where contribution != 0

),

factors as (

    -- labels only for the rows that can be a top factor
    select
        ranked.lead_id,
        ranked.model,
        {{ dbt.concat([
            "terms.feature",
            "' = '",
            "case when terms.kind = 'category' then terms.level else "
                ~ "coalesce(" ~ format_number('ranked.numeric_value') ~ ", 'missing') end",
            "' ('",
            "case when ranked.contribution > 0 then '+' else '' end",
            format_number('ranked.contribution'),
            "')'",
        ]) }} as factor,
        ranked.positive_rank,
        ranked.n_terms - ranked.positive_rank + 1 as negative_rank,
        ranked.contribution,
        ranked.contribution_sum
    from ranked
    inner join terms
        on ranked.model = terms.model
            and ranked.term_id = terms.term_id
    where ranked.positive_rank <= 3 or ranked.n_terms - ranked.positive_rank + 1 <= 3

),

top_factors as (

    select
        lead_id,
        model,
        max(contribution_sum) as contribution_sum,
        max(case when positive_rank = 1 and contribution > 0 then factor end) as top_positive_factor_1,
        max(case when positive_rank = 2 and contribution > 0 then factor end) as top_positive_factor_2,
        max(case when positive_rank = 3 and contribution > 0 then factor end) as top_positive_factor_3,
        max(case when negative_rank = 1 and contribution < 0 then factor end) as top_negative_factor_1,
        max(case when negative_rank = 2 and contribution < 0 then factor end) as top_negative_factor_2,
        max(case when negative_rank = 3 and contribution < 0 then factor end) as top_negative_factor_3
    from factors
    group by lead_id, model

),

final as (

    select
        features.lead_id,
        intercepts.model,
        {{ score_as_of() }} as scored_at,
        intercepts.intercept + coalesce(top_factors.contribution_sum, 0) as logit,
        1 / (1 + exp(-(intercepts.intercept + coalesce(top_factors.contribution_sum, 0)))) as conversion_probability,
        top_factors.top_positive_factor_1,
        top_factors.top_positive_factor_2,
        top_factors.top_positive_factor_3,
        top_factors.top_negative_factor_1,
        top_factors.top_negative_factor_2,
        top_factors.top_negative_factor_3
    from features
    cross join intercepts
    left join top_factors
        on features.lead_id = top_factors.lead_id and intercepts.model = top_factors.model

)

select * from final
