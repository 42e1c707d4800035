{#- The predictive_trees seed (written by `leadscore train --kind gbm`), typed. One row per
    gradient-boosted model, tree and node: a split node names its feature (and, for a text
    feature, the level it tests as 1 / 0), its threshold, the side missing values take and its
    two children; a leaf holds only its value. Tree 0 is the model's baseline, a single leaf.
    Validated in int_scoring_config_errors. -#}
with

source as (

    select * from {{ ref('predictive_trees') }}

),

final as (

    select
        {{ clean_seed_text('model') }} as model,
        {{ clean_seed_text('tree') }} as tree_raw,
        {{ safe_cast(clean_seed_text('tree'), dbt.type_int()) }} as tree,
        {{ clean_seed_text('node') }} as node_raw,
        {{ safe_cast(clean_seed_text('node'), dbt.type_int()) }} as node,
        {{ safe_cast(clean_seed_text('depth'), dbt.type_int()) }} as depth,
        lower({{ clean_seed_text('feature') }}) as feature,
        {{ clean_seed_text('level') }} as level,
        {{ clean_seed_text('threshold') }} as threshold_raw,
        {{ safe_cast(clean_seed_text('threshold'), type_double()) }} as threshold,
        lower({{ clean_seed_text('missing_left') }}) as missing_left_raw,
        case lower({{ clean_seed_text('missing_left') }}) when 'true' then true when 'false' then false end as missing_left,
        {{ safe_cast(clean_seed_text('left_node'), dbt.type_int()) }} as left_node,
        {{ safe_cast(clean_seed_text('right_node'), dbt.type_int()) }} as right_node,
        {{ safe_cast(clean_seed_text('value'), type_double()) }} as value
    from source

)

select * from final
