{#- Each lead's probability of converting within the backtest horizon, per gradient-boosted model
    in the predictive_trees seed (fitted by `leadscore train --kind gbm`), walking every tree in
    plain SQL. Grain: one row per lead and model.
    - A split sends a lead left when its value is <= the threshold, and a missing value to the
      side the split learned (missing_left). A split on a text feature tests 1 when the lead has
      the split's level, else 0 (a null text is 0), as the training matrix had it.
    - The walk is unrolled: step d moves every (lead, tree) still at a split one level down, so
      trees up to max_depth deep (validated) are walked; a (lead, tree) at a leaf stops there.
    - logit = the sum of the leaves reached (tree 0 is the baseline, one leaf);
      probability = 1 / (1 + exp(-logit)).
    - Each step's change of value (child minus parent; a split's value is the mean leaf below it)
      is that split's contribution, summed per lead and feature: the three largest positive and
      the three most negative are the lead's top factors (ties: the earlier feature first among
      positive ones, the later first among negative ones). Read by lead_conversion_probability.
    A table on Spark, which is slow to plan the walk at every read (heavy_view_materialization,
    docs/spark.md). -#}
{{ config(materialized=heavy_view_materialization()) }}
{%- set max_depth = 6 %}
{%- set text_features = predictive_text_features() %}
{%- set factor = struct_of({'contribution': 'contribution', 'later_feature': '-feature_rank', 'feature': 'feature',
    'value_text': 'value_text'}) %}
{#- the number a split tests: the feature's value, or 1 / 0 for having the split's text level -#}
{%- set split_value -%}
    case
        when splits.level is null then lead_values.numeric_value
        when lead_values.text_value = splits.level then cast(1 as {{ type_double() }})
        else cast(0 as {{ type_double() }})
    end
{%- endset %}

with

features as (

    select * from {{ ref('int_lead_features') }}

),

nodes as (

    select * from {{ ref('stg_scoring_config__predictive_trees') }}

),

splits as (

    select * from nodes
    where feature is not null

),

used_features as (

    -- one rank per model and feature (ties among factors), over the features its splits test,
    -- and where a numeric feature's value sits in a lead's list of them
    select
        model,
        feature,
        row_number() over (partition by model order by feature) as feature_rank,
        {{ predictive_feature_position('feature') }} as feature_position
    from (
        select distinct
            model,
            feature
        from splits
    ) as tested

),

lead_numeric_features as (

    -- a lead's numeric features as one list: a tested feature's value is read at its position
    select
        features.*,
        {{ predictive_feature_list('features') }} as numeric_features
    from features

),

lead_values as (

    -- every lead's value of each tested feature, one row per (lead, model, feature): a number, or
    -- the text a split compares with its level
    select
        features.lead_id,
        used_features.model,
        used_features.feature,
        used_features.feature_rank,
        {{ list_element('features.numeric_features', 'used_features.feature_position') }} as numeric_value,
        case used_features.feature
            {%- for c in text_features %}
                when '{{ c }}' then cast(features.{{ c }} as {{ dbt.type_string() }})
            {%- endfor %}
        end as text_value,
        used_features.feature in {{ sql_string_list(text_features) }} as is_text
    from lead_numeric_features as features
    cross join used_features

),

walk_0 as {{ materialized_cte() }} (

    select
        features.lead_id,
        nodes.model,
        nodes.tree,
        cast(null as {{ dbt.type_int() }}) as parent_node,
        nodes.node
    from features
    cross join nodes
    where nodes.node = 0

),
{%- for depth in range(1, max_depth + 1) %}

    walk_{{ depth }} as {{ materialized_cte() }} (

        select
            walk.lead_id,
            walk.model,
            walk.tree,
            walk.node as parent_node,
            case
                when {{ split_value }} is null
                    then case when splits.missing_left then splits.left_node else splits.right_node end
                when {{ split_value }} <= splits.threshold then splits.left_node
                else splits.right_node
            end as node
        from walk_{{ depth - 1 }} as walk
        inner join splits
            on walk.model = splits.model and walk.tree = splits.tree and walk.node = splits.node
        left join lead_values
            on walk.lead_id = lead_values.lead_id
                and splits.model = lead_values.model
                and splits.feature = lead_values.feature

    ),
{%- endfor %}

positions as (

    {%- for depth in range(0, max_depth + 1) %}
        select * from walk_{{ depth }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

logits as (

    -- the leaf each (lead, tree) reached, summed per lead
    select
        positions.lead_id,
        positions.model,
        sum(nodes.value) as logit
    from positions
    inner join nodes
        on positions.model = nodes.model and positions.tree = nodes.tree and positions.node = nodes.node
    where nodes.feature is null
    group by positions.lead_id, positions.model

),

feature_contributions as (

    -- each step's change of value, to the feature its split tested, summed per lead
    select
        positions.lead_id,
        positions.model,
        parents.feature,
        sum(children.value - parents.value) as contribution
    from positions
    inner join nodes as parents
        on positions.model = parents.model and positions.tree = parents.tree and positions.parent_node = parents.node
    inner join nodes as children
        on positions.model = children.model and positions.tree = children.tree and positions.node = children.node
    group by positions.lead_id, positions.model, parents.feature

),

labelled as (

    select
        feature_contributions.lead_id,
        feature_contributions.model,
        feature_contributions.feature,
        feature_contributions.contribution,
        lead_values.feature_rank,
        case
            when lead_values.is_text then coalesce(lead_values.text_value, 'missing')
            else coalesce({{ format_number('lead_values.numeric_value') }}, 'missing')
        end as value_text
    from feature_contributions
    inner join lead_values
        on feature_contributions.lead_id = lead_values.lead_id
            and feature_contributions.model = lead_values.model
            and feature_contributions.feature = lead_values.feature
    where feature_contributions.contribution <> 0

),

top_factors as (

    select
        lead_id,
        model,
        {{ top_n(factor, 3) }} as largest,
        {{ bottom_n(factor, 3) }} as smallest
    from labelled
    group by lead_id, model

),

final as (

    select
        logits.lead_id,
        logits.model,
        {{ score_as_of() }} as scored_at,
        logits.logit,
        1 / (1 + exp(-logits.logit)) as conversion_probability,
        {%- for side, list in [('positive', 'largest'), ('negative', 'smallest')] %}
            {%- for slot in [1, 2, 3] %}
                {%- set element = '(' ~ list_element('top_factors.' ~ list, slot) ~ ')' %}
                case
                    when {{ element }}.contribution {{ '>' if side == 'positive' else '<' }} 0
                        then {{ factor_label(element ~ ".feature", element ~ ".value_text", element ~ ".contribution") }}
                end as top_{{ side }}_factor_{{ slot }}{% if not (side == 'negative' and loop.last) %},{% endif %}
            {%- endfor %}
        {%- endfor %}
    from logits
    left join top_factors
        on logits.lead_id = top_factors.lead_id and logits.model = top_factors.model

)

select * from final
