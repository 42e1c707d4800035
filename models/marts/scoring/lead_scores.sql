{#- The public score table: one row per (lead, model) for every lead scored as of T (see
    int_lead_scores for the scores), with what history adds - when the lead first became an
    MQL, its total score at the previous scoring and the change over 7 days - read from
    int_lead_history_summary, so a run does not scan every day of history. History includes
    this run (lead_score_history is built first), so first_mql_at is T for a lead that is an
    MQL now and never was before. -#}
with

scores as (

    select * from {{ ref('int_lead_scores') }}

),

history_summary as (

    select * from {{ ref('int_lead_history_summary') }}

),

final as (

    select
        scores.lead_id,
        scores.model,
        scores.scored_at,
        scores.fit_points,
        scores.engagement_points,
        scores.fit_score,
        scores.engagement_score,
        scores.total_score,
        scores.fit_grade,
        scores.engagement_grade,
        scores.score_matrix,
        scores.score_band,
        scores.is_mql,
        scores.is_disqualified,
        scores.is_customer,
        scores.disqualification_reasons,
        scores.last_activity_at,
        history_summary.first_mql_at,
        -- the latest scoring before T: the summary's latest row is this run's (history is built first)
        case
            when history_summary.last_scored_at < scores.scored_at then history_summary.last_total_score
            else history_summary.prior_total_score
        end as previous_total_score,
        -- decimal minus decimal widens the precision on some engines (Spark): keep the contract's
        cast(scores.total_score - history_summary.week_before_total_score as decimal(18, 2)) as score_change_7d
    from scores
    left join history_summary
        on scores.lead_id = history_summary.lead_id
            and scores.model = history_summary.model

)

select * from final
