{#- Every matching rule per (lead, model) the model scores (int_lead_models): attribute, event and
    condition-set rules together, a rule with only_if only where that condition set holds for the
    lead at T (both filtered when the match tables are built: scored_rule_matches), each with its
    contribution after the rule cap (before any group cap), the rule's descriptive columns and its
    score_group_number. -#}
{#- A view: stored, it would copy every matched rule once more each run; its readers scan the
    three match tables (which leave the rule's descriptive columns to this join) instead. -#}

with

matches as (

    select * from {{ ref('int_attribute_rule_matches') }}
    union all
    select * from {{ ref('int_event_rule_matches') }}
    union all
    select * from {{ ref('int_condition_rule_matches') }}

),

rules as (

    select * from {{ ref('int_scoring_rules') }}

),

final as (

    select
        matches.lead_id,
        matches.model,
        matches.rule_id,
        rules.dimension,
        rules.rule_group,
        rules.source,
        rules.field,
        rules.description,
        rules.disqualify,
        matches.matched_events,
        matches.raw_points,
        matches.contribution,
        rules.score_group_number
    from matches
    inner join rules
        on matches.model = rules.model
            and matches.rule_id = rules.rule_id

)

select * from final
