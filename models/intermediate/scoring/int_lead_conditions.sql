{#- One row per (lead, model, condition set) that holds as of T: a set with match 'all' holds when
    every one of its conditions does, with 'any' when at least one does. A condition naming
    another set (source condition_set) holds when that set does; such a set has attribute and
    event conditions only (int_config_checks__conditions), so it is resolved first. Rules with
    source 'conditions' score the sets (int_condition_rule_matches) and a model's segment is one
    (int_lead_models). -#}
{{ config(materialized='table') }}

with

hits as (

    select * from {{ ref('int_lead_condition_hits') }}

),

conditions as (

    select * from {{ ref('int_scoring_conditions') }}

),

set_sizes as (

    select
        model,
        condition_set,
        max(match_mode) as match_mode,
        count(*) as conditions_in_set,
        sum(case when source = 'condition_set' then 1 else 0 end) as set_references
    from conditions
    group by model, condition_set

),

leaf_hits as (

    select
        hits.lead_id,
        conditions.model,
        conditions.condition_set
    from hits
    inner join conditions
        on hits.model = conditions.model
            and hits.condition_id = conditions.condition_id

),

leaf_counts as (

    select
        lead_id,
        model,
        condition_set,
        count(*) as conditions_holding
    from leaf_hits
    group by lead_id, model, condition_set

),

referenced_sets as (

    -- the sets without references hold or not from their own conditions alone
    select
        leaf_counts.lead_id,
        leaf_counts.model,
        leaf_counts.condition_set
    from leaf_counts
    inner join set_sizes
        on leaf_counts.model = set_sizes.model
            and leaf_counts.condition_set = set_sizes.condition_set
    where set_sizes.set_references = 0
        and (set_sizes.match_mode = 'any' or leaf_counts.conditions_holding = set_sizes.conditions_in_set)

),

reference_hits as (

    select
        referenced_sets.lead_id,
        conditions.model,
        conditions.condition_set
    from conditions
    inner join referenced_sets
        on conditions.model = referenced_sets.model
            and conditions.field = referenced_sets.condition_set
    where conditions.source = 'condition_set'

),

all_hits as (

    select * from leaf_hits
    union all
    select * from reference_hits

),

counts as (

    select
        lead_id,
        model,
        condition_set,
        count(*) as conditions_holding
    from all_hits
    group by lead_id, model, condition_set

),

final as (

    select
        counts.lead_id,
        counts.model,
        counts.condition_set
    from counts
    inner join set_sizes
        on counts.model = set_sizes.model
            and counts.condition_set = set_sizes.condition_set
    where set_sizes.match_mode = 'any' or counts.conditions_holding = set_sizes.conditions_in_set

)

select * from final
