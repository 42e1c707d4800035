{#- Score history: the scores of every run, one row per (lead, model, scored_at). Incremental:
    a run appends its as-of; re-running an as-of replaces that as-of's rows (no duplicates);
    --full-refresh leaves it alone unless var rebuild_history is true (see history_config).
    `leadscore backfill` fills past as-ofs from the raw events. A column added by an upgrade
    (lifecycle_stage) is appended to a stored history; its older rows keep null there.
    Written only after the other outputs of the run that do not read it were built and tested
    (the depends_on below): a build that fails there leaves history as it was. -#}
-- depends_on: {{ ref('lead_score_reasons') }}
-- depends_on: {{ ref('lead_conversion_probability') }}
-- depends_on: {{ ref('staging_reconciliation') }}
-- depends_on: {{ ref('quarantined_leads') }}
-- depends_on: {{ ref('quarantined_conversions') }}
{{ config(**history_config()) }}

with

scores as (

    select * from {{ ref('int_lead_scores') }}

),

stages as (

    select * from {{ ref('int_lead_stages') }}

),

final as (

    select
        scores.lead_id,
        scores.model,
        scores.scored_at,
        scores.fit_score,
        scores.engagement_score,
        scores.total_score,
        scores.fit_grade,
        scores.engagement_grade,
        scores.score_matrix,
        scores.score_band,
        scores.is_mql,
        scores.is_disqualified,
        scores.disqualification_reasons,
        stages.lifecycle_stage
    from scores
    left join stages
        on scores.lead_id = stages.lead_id
            and scores.model = stages.model

)

select * from final
