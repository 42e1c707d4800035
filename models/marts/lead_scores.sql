{#- The public score table: one row per (lead, model) for every lead scored as of T (see
    int_lead_scores for the scores), with what history adds - when the lead first became an
    MQL, its total score at the previous scoring and the change over 7 days. History includes
    this run (lead_score_history is built first), so first_mql_at is T for a lead that is an
    MQL now and never was before. -#}
with

scores as (

    select * from {{ ref('int_lead_scores') }}

),

history as (

    select * from {{ ref('lead_score_history') }}

),

first_mql as (

    select
        lead_id,
        model,
        min(scored_at) as first_mql_at
    from history
    where is_mql and scored_at <= {{ score_as_of() }}
    group by lead_id, model

),

earlier as (

    select
        lead_id,
        model,
        scored_at,
        total_score,
        row_number() over (partition by lead_id, model order by scored_at desc) as recency_rank
    from history
    where scored_at < {{ score_as_of() }}

),

week_before as (

    select
        lead_id,
        model,
        total_score,
        row_number() over (partition by lead_id, model order by scored_at desc) as recency_rank
    from history
    where scored_at <= {{ dbt.dateadd('day', -7, score_as_of()) }}

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
        scores.disqualification_reasons,
        scores.last_activity_at,
        first_mql.first_mql_at,
        earlier.total_score as previous_total_score,
        -- decimal minus decimal widens the precision on some engines (Spark): keep the contract's
        cast(scores.total_score - week_before.total_score as decimal(18, 2)) as score_change_7d
    from scores
    left join first_mql
        on scores.lead_id = first_mql.lead_id
            and scores.model = first_mql.model
    left join earlier
        on scores.lead_id = earlier.lead_id
            and scores.model = earlier.model
            and earlier.recency_rank = 1
    left join week_before
        on scores.lead_id = week_before.lead_id
            and scores.model = week_before.model
            and week_before.recency_rank = 1

)

select * from final
