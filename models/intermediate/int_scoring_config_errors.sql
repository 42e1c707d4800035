{#- Every problem found in the scoring seeds, one row each, naming the seed file, the model,
    the row and the fix. int_scoring_rules, int_email_domain_types and
    lead_conversion_probability refuse to build while it has rows, so a typo in the points table
    stops the build with a readable message. A view, so the checks read the seeds as they are,
    except on Spark, where each query of the view took 10 to 15 s even on tiny seeds (one large
    plan) and it is a table (config_errors_materialization), stamped with the seed files'
    checksum so that a stale one is refused. -#}
{{ config(materialized=config_errors_materialization(), post_hook="{{ config_errors_stamp() }}") }}
{%- set operators = scoring_operators() -%}
{%- set operator_list = sql_string_list(operators) -%}
{%- set text_features = sql_string_list(predictive_text_features()) -%}
{%- set numeric_features = sql_string_list(predictive_numeric_features()) -%}
{%- set event_types = [] -%}
{%- for entry in project_var('event_types') -%}
    {%- do event_types.append(entry.event_type) -%}
{%- endfor -%}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('int_scoring_models') }}

),

rules as (

    select * from {{ ref('int_scoring_rules_typed') }}

),

rule_values as (

    select * from {{ ref('int_scoring_rule_values') }}

),

groups as (

    select * from {{ ref('int_scoring_groups') }}

),

thresholds as (

    select * from {{ ref('int_score_thresholds') }}

),

domains as (

    select * from {{ ref('int_email_domains') }}

),

weights as (

    select * from {{ ref('int_predictive_weights') }}

),

weight_counts as (

    select
        model,
        sum(case when kind = 'intercept' then 1 else 0 end) as n_intercepts
    from weights
    group by model

),

weight_term_counts as (

    select
        model,
        feature,
        level,
        count(*) as n_rows
    from weights
    where kind in ('numeric', 'category')
    group by model, feature, level

),

model_counts as (

    select
        model,
        count(*) as n_rows
    from models
    group by model

),

rule_id_counts as (

    select
        model,
        rule_id,
        count(*) as n_rows
    from rules
    where rule_id is not null
    group by model, rule_id

),

group_dimensions as (

    select
        model,
        rule_group,
        count(distinct dimension) as n_dimensions
    from rules
    where rule_group is not null and dimension in ('fit', 'engagement')
    group by model, rule_group

),

group_counts as (

    select
        model,
        rule_group,
        count(*) as n_rows
    from groups
    group by model, rule_group

),

threshold_min_counts as (

    select
        model,
        dimension,
        min_score,
        count(*) as n_rows
    from thresholds
    where min_score is not null
    group by model, dimension, min_score

),

threshold_label_counts as (

    select
        model,
        dimension,
        label,
        count(*) as n_rows
    from thresholds
    where label is not null
    group by model, dimension, label

),

model_errors as (

    select
        model,
        'model row' as row_key,
        'the model column is blank. Fix: name the model.' as problem
    from models
    where model is null
    union all
    select
        model,
        'model row',
        'the model is listed more than once. Fix: keep one row per model.'
    from model_counts
    where n_rows > 1
    union all
    select
        model,
        'model row',
        'fit_weight is not a number >= 0. Fix: use a decimal such as 0.5.'
    from models
    where fit_weight is null or fit_weight < 0
    union all
    select
        model,
        'model row',
        'engagement_weight is not a number >= 0. Fix: use a decimal such as 0.5.'
    from models
    where engagement_weight is null or engagement_weight < 0
    union all
    select
        model,
        'model row',
        'fit_weight + engagement_weight must be 1. Fix: adjust the two weights.'
    from models
    where fit_weight is not null and engagement_weight is not null
        and abs(fit_weight + engagement_weight - 1) > 0.000001
    union all
    select
        model,
        'model row',
        'mql_threshold is not a number from 0 to 100. Fix: set a score such as 60.'
    from models
    where mql_threshold is null or mql_threshold < 0 or mql_threshold > 100
    union all
    select
        model,
        'model row',
        'default_half_life_days is not a number >= 0. Fix: use days (0 or blank: no decay).'
    from models
    where default_half_life_days_raw is not null and (default_half_life_days is null or default_half_life_days < 0)
    union all
    select
        models.model,
        'model row',
        'the model has no rules in seeds/scoring_rules.csv. Fix: add its rules, or remove the model.'
    from models
    left join (select distinct model from rules) as ruled
        on models.model = ruled.model
    where models.model is not null and ruled.model is null
    union all
    select
        dimensions.model,
        'model row',
        {{ dbt.concat(["'the model has no '", 'dimensions.dimension', "' labels in seeds/score_thresholds.csv. Fix: add at least one row (label, min_score) for that dimension.'"]) }}
    from (
        select
            models.model,
            dimension_list.dimension
        from models
        cross join (
            select 'fit' as dimension
            union all
            select 'engagement'
            union all
            select 'total'
        ) as dimension_list
        where models.model is not null
    ) as dimensions
    left join (select distinct model, dimension from thresholds) as labelled
        on dimensions.model = labelled.model
            and dimensions.dimension = labelled.dimension
    where labelled.model is null

),

rule_errors as (

    select
        rules.model,
        rules.rule_id,
        'the model is not in seeds/scoring_models.csv. Fix: add it there or correct the name.' as problem
    from rules
    left join models
        on rules.model = models.model
    where models.model is null
    union all
    select
        model,
        rule_id,
        'rule_id is blank. Fix: give every rule an id, unique within its model.'
    from rules
    where rule_id is null
    union all
    select
        model,
        rule_id,
        'rule_id is used more than once in this model. Fix: make rule ids unique per model.'
    from rule_id_counts
    where n_rows > 1
    union all
    select
        model,
        rule_id,
        'dimension must be fit or engagement.'
    from rules
    where dimension is null or dimension not in ('fit', 'engagement')
    union all
    select
        model,
        rule_id,
        'source must be attribute or event.'
    from rules
    where source is null or source not in ('attribute', 'event')
    union all
    select
        model,
        rule_id,
        'field is blank. Fix: name a lead attribute or an event type.'
    from rules
    where field is null
    union all
    select
        model,
        rule_id,
        {{ dbt.concat(["'field '''", 'field', "''' names an attribute that does not exist. Fix: use a column from var lead_attribute_columns / lead_numeric_attribute_columns or a derived attribute (see README).'"]) }}
    from rules
    where source = 'attribute' and field is not null and attribute_kind is null
    union all
    select
        model,
        rule_id,
        {{ dbt.concat(["'field '''", 'field', "''' is not an event type of var event_types (dbt_project.yml). Fix: add it to event_types, or correct the type.'"]) }}
    from rules
    where source = 'event' and field is not null and field not in {{ sql_string_list(event_types) if event_types else "('')" }}
    union all
    select
        model,
        rule_id,
        {{ dbt.concat(["'unknown operator '''", 'operator', "'''. Fix: use one of " ~ operators | join(", ") ~ ".'"]) }}
    from rules
    where operator is not null and operator not in {{ operator_list }}
    union all
    select
        model,
        rule_id,
        'attribute rules need an operator. Fix: use one of {{ operators | join(", ") }}.'
    from rules
    where source = 'attribute' and operator is null
    union all
    select
        model,
        rule_id,
        'value is set but operator is blank. Fix: add an operator or clear the value.'
    from rules
    where operator is null and value is not null
    union all
    select
        model,
        rule_id,
        'this operator needs a value. Fix: fill in value.'
    from rules
    where operator in {{ operator_list }} and operator not in ('is_set', 'is_not_set') and value is null
    union all
    select
        model,
        rule_id,
        'is_set / is_not_set take no value. Fix: clear value.'
    from rules
    where operator in ('is_set', 'is_not_set') and value is not null
    union all
    select
        model,
        rule_id,
        'gte / lte / between compare numbers but value is not a number.'
    from rules
    where operator in ('gte', 'lte', 'between') and value is not null and value_number is null
    union all
    select
        model,
        rule_id,
        'between needs a numeric value_to >= value. Fix: fill in value_to.'
    from rules
    where operator = 'between'
        and (value_to_number is null or (value_number is not null and value_to_number < value_number))
    union all
    select
        model,
        rule_id,
        'value_to is only used by between. Fix: clear value_to.'
    from rules
    where value_to_raw is not null and (operator is null or operator <> 'between')
    union all
    select
        model,
        rule_id,
        'the attribute is numeric but value is not a number. Fix: use a number.'
    from rules
    where attribute_kind = 'number' and operator in ('equals', 'not_equals') and value is not null and value_number is null
    union all
    select
        rules.model,
        rules.rule_id,
        'the attribute is numeric but an item of the value list is not a number. Fix: use numbers separated by |.'
    from rules
    inner join rule_values
        on rules.model = rule_values.model and rules.rule_id = rule_values.rule_id
    where rules.attribute_kind = 'number' and rule_values.value_item_number is null
    union all
    select
        model,
        rule_id,
        {{ dbt.concat(["'points '''", "coalesce(points_raw, '')", "''' is not a number. Fix: use a number (negative allowed).'"]) }}
    from rules
    where points is null
    union all
    select
        model,
        rule_id,
        'max_points must be a number >= 0.'
    from rules
    where max_points_raw is not null and (max_points is null or max_points < 0)
    union all
    select
        model,
        rule_id,
        'half_life_days must be a number >= 0 (0: no decay).'
    from rules
    where half_life_days_raw is not null and (half_life_days is null or half_life_days < 0)
    union all
    select
        model,
        rule_id,
        'window_days must be a number >= 0.'
    from rules
    where window_days_raw is not null and (window_days is null or window_days < 0)
    union all
    select
        model,
        rule_id,
        'half_life_days and window_days only apply to event rules. Fix: clear them.'
    from rules
    where source = 'attribute' and (half_life_days_raw is not null or window_days_raw is not null)
    union all
    select
        model,
        rule_id,
        'disqualify must be true or false (blank: false).'
    from rules
    where disqualify is null
    union all
    select
        rules.model,
        rules.rule_id,
        'its rule_group spans both fit and engagement rules. Fix: give each dimension its own group.'
    from rules
    inner join group_dimensions
        on rules.model = group_dimensions.model and rules.rule_group = group_dimensions.rule_group
    where group_dimensions.n_dimensions > 1

),

group_errors as (

    select
        groups.model,
        groups.rule_group,
        'the model is not in seeds/scoring_models.csv.' as problem
    from groups
    left join models
        on groups.model = models.model
    where models.model is null
    union all
    select
        model,
        rule_group,
        'rule_group is blank.'
    from groups
    where rule_group is null
    union all
    select
        model,
        rule_group,
        'the group is listed more than once. Fix: keep one row per group.'
    from group_counts
    where n_rows > 1
    union all
    select
        model,
        rule_group,
        'max_points must be a number >= 0.'
    from groups
    where max_points is null or max_points < 0

),

threshold_errors as (

    select
        thresholds.model,
        thresholds.label,
        'the model is not in seeds/scoring_models.csv.' as problem
    from thresholds
    left join models
        on thresholds.model = models.model
    where models.model is null
    union all
    select
        model,
        label,
        'dimension must be fit, engagement or total.'
    from thresholds
    where dimension is null or dimension not in ('fit', 'engagement', 'total')
    union all
    select
        model,
        label,
        'label is blank.'
    from thresholds
    where label is null
    union all
    select
        model,
        label,
        'min_score is not a number.'
    from thresholds
    where min_score is null
    union all
    select
        model,
        cast(min_score as {{ dbt.type_string() }}),
        'two labels of this dimension share this min_score. Fix: give each label its own lower bound.'
    from threshold_min_counts
    where n_rows > 1
    union all
    select
        model,
        label,
        'the label is used twice in this dimension.'
    from threshold_label_counts
    where n_rows > 1

),

domain_errors as (

    select
        domain,
        'domain is blank.' as problem
    from domains
    where domain is null
    union all
    select
        domain,
        'domain_type must be personal, education, disposable, competitor or internal.'
    from domains
    where domain_type is null or domain_type not in ('personal', 'education', 'disposable', 'competitor', 'internal')

),

weight_errors as (

    select
        model,
        feature,
        level,
        'the model column is blank. Fix: name the predictive model (leadscore train writes it).' as problem
    from weights
    where model is null
    union all
    select
        weights.model,
        weights.feature,
        weights.level,
        'the model name is also a rules model in seeds/scoring_models.csv. Fix: rename one of them.'
    from weights
    inner join models
        on weights.model = models.model
    where weights.kind = 'intercept'
    union all
    select
        model,
        '(intercept)',
        cast(null as {{ dbt.type_string() }}),
        'the model needs exactly one intercept row. Fix: keep one row with kind intercept.'
    from weight_counts
    where n_intercepts <> 1
    union all
    select
        model,
        feature,
        level,
        'the term is listed more than once. Fix: keep one row per feature and level.'
    from weight_term_counts
    where n_rows > 1
    union all
    select
        model,
        feature,
        level,
        'kind must be intercept, numeric or category.'
    from weights
    where kind is null or kind not in ('intercept', 'numeric', 'category')
    union all
    select
        model,
        feature,
        level,
        'coefficient is not a number. Fix: use a decimal such as -0.25.'
    from weights
    where coefficient is null
    union all
    select
        model,
        feature,
        level,
        'the feature is not a numeric feature column of lead_features. Fix: use a numeric column of backtest_features.'
    from weights
    where kind = 'numeric' and (feature is null or feature not in {{ numeric_features }})
    union all
    select
        model,
        feature,
        level,
        'the feature is not a text feature column of lead_features. Fix: use a text column of backtest_features.'
    from weights
    where kind = 'category' and (feature is null or feature not in {{ text_features }})
    union all
    select
        model,
        feature,
        level,
        'a category term needs the level it matches. Fix: fill in level.'
    from weights
    where kind = 'category' and level is null
    union all
    select
        model,
        feature,
        level,
        'a numeric term needs center, fill_value and a scale > 0, and transform none or log1p.'
    from weights
    where
        kind = 'numeric'
        and (
            center is null or fill_value is null or scale is null or scale <= 0
            or transform not in ('none', 'log1p')
        )

),

final as (

    select
        'seeds/scoring_models.csv' as seed_file,
        model,
        row_key,
        problem
    from model_errors
    union all
    select
        'seeds/scoring_rules.csv',
        model,
        {{ dbt.concat(["'rule '", "coalesce(rule_id, '(blank)')"]) }},
        problem
    from rule_errors
    union all
    select
        'seeds/scoring_groups.csv',
        model,
        {{ dbt.concat(["'group '", "coalesce(rule_group, '(blank)')"]) }},
        problem
    from group_errors
    union all
    select
        'seeds/score_thresholds.csv',
        model,
        {{ dbt.concat(["'label '", "coalesce(label, '(blank)')"]) }},
        problem
    from threshold_errors
    union all
    select
        'seeds/email_domains.csv',
        cast(null as {{ dbt.type_string() }}),
        {{ dbt.concat(["'domain '", "coalesce(domain, '(blank)')"]) }},
        problem
    from domain_errors
    union all
    select
        'seeds/predictive_weights.csv',
        model,
        {{ dbt.concat(["'term '", "coalesce(feature, '(blank)')", "case when level is null then '' else "
            ~ dbt.concat(["' = '", "level"]) ~ " end"]) }},
        problem
    from weight_errors

)

select * from final
