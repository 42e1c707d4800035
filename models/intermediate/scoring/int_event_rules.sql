{#- Event rules with the half-life that applies (the rule's, else the model's default) and a
    config_hash per model over everything that shapes the event state. When a model's hash
    changes, int_event_rule_state rebuilds that model. -#}
with

rules as (

    select * from {{ ref('int_scoring_rules') }}
    where source = 'event'

),

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

event_rules as (

    select
        rules.model,
        rules.rule_id,
        rules.dimension,
        rules.rule_group,
        rules.source,
        rules.field,
        rules.description,
        rules.disqualify,
        rules.operator,
        rules.value,
        rules.value_number,
        rules.value_to_number,
        rules.points,
        rules.max_points,
        rules.window_days,
        rules.once_per_days,
        rules.only_if,
        coalesce(rules.half_life_days, models.default_half_life_days) as half_life_days
    from rules
    inner join models
        on rules.model = models.model

),

rule_hashes as (

    select
        *,
        rule_id || ':' || {{ row_hash(['field', 'operator', 'value', 'points', 'half_life_days',
            'window_days', 'once_per_days']) }} as rule_hash
    from event_rules

),

model_hashes as (

    select
        model,
        {{ dbt.hash(sorted_list('rule_hash', ',')) }} as config_hash
    from rule_hashes
    group by model

),

final as (

    select
        rule_hashes.model,
        rule_hashes.rule_id,
        rule_hashes.dimension,
        rule_hashes.rule_group,
        rule_hashes.source,
        rule_hashes.field,
        rule_hashes.description,
        rule_hashes.disqualify,
        rule_hashes.operator,
        rule_hashes.value,
        rule_hashes.value_number,
        rule_hashes.value_to_number,
        rule_hashes.points,
        rule_hashes.max_points,
        rule_hashes.window_days,
        rule_hashes.once_per_days,
        rule_hashes.only_if,
        rule_hashes.half_life_days,
        model_hashes.config_hash
    from rule_hashes
    inner join model_hashes
        on rule_hashes.model = model_hashes.model

)

select * from final
