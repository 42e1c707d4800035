{#- The problems of seeds/predictive_trees.csv, one row each naming the model, the tree and node
    and the fix: blank names or names of rules models or regressions, node numbers, duplicate
    nodes, trees without a root, depths (at most 6, the walk of int_lead_probabilities__gbm),
    splits whose feature, threshold, missing side or children are wrong, values that are not
    numbers. Grain: one row per problem. -#}
{%- set text_features = sql_string_list(predictive_text_features()) -%}
{%- set numeric_features = sql_string_list(predictive_numeric_features()) -%}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

weights as (

    select * from {{ ref('stg_scoring_config__predictive_weights') }}

),

nodes as (

    select * from {{ ref('stg_scoring_config__predictive_trees') }}

),

node_counts as (

    select
        model,
        tree,
        node,
        count(*) as n_rows
    from nodes
    group by model, tree, node

),

roots as (

    select
        model,
        tree,
        sum(case when node = 0 then 1 else 0 end) as n_roots
    from nodes
    group by model, tree

),

splits as (

    select * from nodes
    where feature is not null

),

split_children as (

    select
        model,
        tree,
        node,
        depth,
        left_node as child_node
    from splits
    union all
    select
        model,
        tree,
        node,
        depth,
        right_node
    from splits

),

children as (

    -- each split's two children as they are in the seed (child_depth null where one is not there)
    select
        split_children.model,
        split_children.tree,
        split_children.node,
        split_children.depth,
        split_children.child_node,
        child.depth as child_depth
    from split_children
    left join nodes as child
        on split_children.model = child.model
            and split_children.tree = child.tree
            and split_children.child_node = child.node

),

problems as (

    select
        model,
        tree_raw,
        node_raw,
        'the model column is blank. Fix: name the model (leadscore train --kind gbm writes it).' as problem
    from nodes
    where model is null
    union all
    select distinct
        nodes.model,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        'the model name is also a rules model in seeds/scoring_models.csv. Fix: rename one of them.'
    from nodes
    inner join models
        on nodes.model = models.model
    union all
    select distinct
        nodes.model,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        'the model name is also a regression in seeds/predictive_weights.csv. Fix: rename one of them.'
    from nodes
    inner join weights
        on nodes.model = weights.model
    union all
    select
        model,
        tree_raw,
        node_raw,
        'tree and node must be whole numbers from 0 and depth a whole number from 0 to 6 (the deepest tree the SQL walks). Fix: retrain with leadscore train --kind gbm.'
    from nodes
    where
        tree is null or tree < 0 or node is null or node < 0
        or depth is null or depth < 0 or depth > 6 or (node = 0 and depth <> 0)
    union all
    select
        model,
        cast(tree as {{ dbt.type_string() }}),
        cast(node as {{ dbt.type_string() }}),
        'the node is listed more than once. Fix: keep one row per model, tree and node.'
    from node_counts
    where n_rows > 1 and tree is not null and node is not null
    union all
    select
        model,
        cast(tree as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        'the tree has no root (node 0). Fix: retrain with leadscore train --kind gbm.'
    from roots
    where n_roots = 0 and tree is not null
    union all
    select
        model,
        tree_raw,
        node_raw,
        'value is not a number. Fix: use a decimal such as -0.25.'
    from nodes
    where value is null
    union all
    select
        model,
        tree_raw,
        node_raw,
        'the feature is not a numeric feature column of lead_features (a split without a level tests a number). Fix: use a numeric column of backtest_features.'
    from splits
    where level is null and feature not in {{ numeric_features }}
    union all
    select
        model,
        tree_raw,
        node_raw,
        'the feature is not a text feature column of lead_features (a split with a level tests a text). Fix: use a text column of backtest_features.'
    from splits
    where level is not null and feature not in {{ text_features }}
    union all
    select
        model,
        tree_raw,
        node_raw,
        'a split needs a threshold that is a number and missing_left true or false. Fix: retrain with leadscore train --kind gbm.'
    from splits
    where threshold is null or missing_left is null
    union all
    select
        model,
        tree_raw,
        node_raw,
        'a leaf (no feature) must leave level, threshold, missing_left, left_node and right_node blank. Fix: fill in the feature, or blank the rest.'
    from nodes
    where
        feature is null
        and (
            level is not null or threshold_raw is not null or missing_left_raw is not null
            or left_node is not null or right_node is not null
        )
    union all
    select distinct
        model,
        cast(tree as {{ dbt.type_string() }}),
        cast(node as {{ dbt.type_string() }}),
        'a split needs left_node and right_node, nodes of the same tree one level deeper. Fix: retrain with leadscore train --kind gbm.'
    from children
    where child_node is null or child_depth is null or child_depth <> depth + 1

),

final as (

    select
        'seeds/predictive_trees.csv' as seed_file,
        model,
        {{ dbt.concat(["'tree '", "coalesce(tree_raw, '(blank)')", "case when node_raw is null then '' else "
            ~ dbt.concat(["', node '", "node_raw"]) ~ " end"]) }} as row_key,
        problem
    from problems

)

select * from final
