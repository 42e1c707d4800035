{#- The routing rule each MQL as of T matches, one row per (lead, model) in stage mql: the first
    rule of its model (by rule_order) whose conditions all hold - its condition set holds for the
    lead (int_lead_conditions), its band and fit grade lists include the lead's. An MQL no rule
    matches has a row with a null rule (the fallback queue). -#}
{{ assert_valid_scoring_config() }}

with

mqls as (

    select
        stages.lead_id,
        stages.model,
        lower(scores.score_band) as score_band,
        lower(scores.fit_grade) as fit_grade
    from {{ ref('int_lead_stages') }} as stages
    inner join {{ ref('int_lead_scores') }} as scores
        on stages.lead_id = scores.lead_id
            and stages.model = scores.model
    where stages.lifecycle_stage = 'mql'

),

rules as (

    select * from {{ ref('stg_scoring_config__routing_rules') }}

),

conditions as (

    select * from {{ ref('int_lead_conditions') }}

),

matches as (

    select
        mqls.lead_id,
        mqls.model,
        rules.rule_id,
        rules.rule_order,
        rules.team,
        rules.owner_id,
        rules.reassign
    from mqls
    inner join rules
        on mqls.model = rules.model
    left join conditions
        on mqls.lead_id = conditions.lead_id
            and mqls.model = conditions.model
            and rules.condition_set = conditions.condition_set
    where (rules.condition_set is null or conditions.condition_set is not null)
        and (rules.score_band is null or {{ in_label_list('mqls.score_band', 'rules.score_band') }})
        and (rules.fit_grade is null or {{ in_label_list('mqls.fit_grade', 'rules.fit_grade') }})

),

ranked as (

    select
        *,
        row_number() over (partition by lead_id, model order by rule_order, rule_id) as match_rank
    from matches

),

final as (

    select
        mqls.lead_id,
        mqls.model,
        ranked.rule_id as routing_rule_id,
        ranked.team,
        ranked.owner_id as rule_owner_id,
        coalesce(ranked.reassign, false) as reassign
    from mqls
    left join ranked
        on mqls.lead_id = ranked.lead_id
            and mqls.model = ranked.model
            and ranked.match_rank = 1

)

select * from final
