{#- Score history: the scores of every run, one row per (lead, model, scored_at). Incremental:
    a run appends its as-of; re-running an as-of replaces that as-of's rows (no duplicates);
    --full-refresh leaves it alone unless var rebuild_history is true (see history_config).
    `leadscore backfill` fills past as-ofs from the raw events.
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

final as (

    select
        lead_id,
        model,
        scored_at,
        fit_score,
        engagement_score,
        total_score,
        fit_grade,
        engagement_grade,
        score_matrix,
        score_band,
        is_mql,
        is_disqualified,
        disqualification_reasons
    from scores

)

select * from final
