-- The rows of lead_score_reasons add up exactly to fit_points and engagement_points, and every
-- reason belongs to a scored (lead, model).
with

reason_sums as (

    select
        lead_id,
        model,
        sum(case when dimension = 'fit' then points else 0 end) as fit_sum,
        sum(case when dimension = 'engagement' then points else 0 end) as engagement_sum
    from {{ ref('lead_score_reasons') }}
    group by lead_id, model

)

select
    coalesce(scores.lead_id, reason_sums.lead_id) as lead_id,
    coalesce(scores.model, reason_sums.model) as model,
    scores.fit_points,
    reason_sums.fit_sum,
    scores.engagement_points,
    reason_sums.engagement_sum
from {{ ref('lead_scores') }} as scores
full outer join reason_sums
    on scores.lead_id = reason_sums.lead_id
        and scores.model = reason_sums.model
where scores.lead_id is null
    or scores.fit_points <> coalesce(reason_sums.fit_sum, 0)
    or scores.engagement_points <> coalesce(reason_sums.engagement_sum, 0)
