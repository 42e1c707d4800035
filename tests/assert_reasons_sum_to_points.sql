-- The rows of lead_score_reasons add up exactly to fit_points and engagement_points.
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
    scores.lead_id,
    scores.model,
    scores.fit_points,
    reason_sums.fit_sum,
    scores.engagement_points,
    reason_sums.engagement_sum
from {{ ref('lead_scores') }} as scores
left join reason_sums
    on scores.lead_id = reason_sums.lead_id
        and scores.model = reason_sums.model
where scores.fit_points <> coalesce(reason_sums.fit_sum, 0)
    or scores.engagement_points <> coalesce(reason_sums.engagement_sum, 0)
