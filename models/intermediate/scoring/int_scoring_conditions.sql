{#- The validated condition sets: one row per condition of seeds/scoring_conditions.csv, with the
    text the set reads as (its conditions' descriptions joined by AND or OR, a referenced set in
    parentheses), which a rule on the set shows as its reason when it has no description of its
    own. Building it fails, with every problem listed, while the seeds have errors. -#}
{{ config(materialized='table') }}
{{ assert_valid_scoring_config() }}

with

conditions as (

    select
        *,
        coalesce(description, {{ dbt.concat(["field", "' '", "coalesce(operator, 'any')",
            "coalesce(" ~ dbt.concat(["' '", "value"]) ~ ", '')"]) }}) as condition_text
    from {{ ref('stg_scoring_config__conditions') }}

),

leaf_texts as (

    -- what a set of attribute and event conditions reads as (a set reference is one level deep
    -- at most, so the sets it names are of this kind)
    select
        model,
        condition_set,
        case
            when max(match_mode) = 'any' then {{ sorted_list('condition_text', ' OR ') }}
            else {{ sorted_list('condition_text', ' AND ') }}
        end as set_text
    from conditions
    group by model, condition_set

),

condition_texts as (

    select
        conditions.model,
        conditions.condition_set,
        conditions.match_mode,
        case
            when conditions.source = 'condition_set'
                then {{ dbt.concat(["'('", "coalesce(leaf_texts.set_text, conditions.field)", "')'"]) }}
            else conditions.condition_text
        end as shown_text
    from conditions
    left join leaf_texts
        on conditions.source = 'condition_set'
            and conditions.model = leaf_texts.model
            and conditions.field = leaf_texts.condition_set

),

set_texts as (

    select
        model,
        condition_set,
        case
            when max(match_mode) = 'any' then {{ sorted_list('shown_text', ' OR ') }}
            else {{ sorted_list('shown_text', ' AND ') }}
        end as set_text
    from condition_texts
    group by model, condition_set

),

final as (

    select
        conditions.model,
        conditions.condition_set,
        conditions.match_mode,
        conditions.condition_id,
        conditions.source,
        conditions.field,
        conditions.operator,
        conditions.value,
        conditions.value_number,
        conditions.value_to_number,
        conditions.detail_operator,
        conditions.detail_value,
        conditions.detail_value_number,
        conditions.window_days,
        conditions.attribute_kind,
        conditions.condition_text,
        set_texts.set_text
    from conditions
    inner join set_texts
        on conditions.model = set_texts.model
            and conditions.condition_set = set_texts.condition_set

)

select * from final
