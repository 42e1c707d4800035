-- Every label is the one with the greatest min_score <= the score, and is_mql agrees with the
-- model's mql_threshold (a customer is never an MQL unless var score_customers_as_upsell):
-- recomputed independently of lead_scores' range join.
with

scores as (

    select * from {{ ref('lead_scores') }}

),

thresholds as (

    select * from {{ ref('stg_scoring_config__thresholds') }}

),

expected as (

    select
        scores.lead_id,
        scores.model,
        (
            select max(t.min_score) from thresholds as t
            where t.model = scores.model and t.dimension = 'fit' and t.min_score <= scores.fit_score
        ) as fit_min,
        (
            select max(t.min_score) from thresholds as t
            where t.model = scores.model and t.dimension = 'total' and t.min_score <= scores.total_score
        ) as total_min
    from scores

)

select scores.*
from scores
inner join expected
    on scores.lead_id = expected.lead_id
        and scores.model = expected.model
inner join {{ ref('stg_scoring_config__models') }} as models
    on scores.model = models.model
left join thresholds as fit_label
    on scores.model = fit_label.model and fit_label.dimension = 'fit' and expected.fit_min = fit_label.min_score
left join thresholds as band_label
    on scores.model = band_label.model and band_label.dimension = 'total' and expected.total_min = band_label.min_score
where coalesce(scores.fit_grade, '~') <> coalesce(fit_label.label, '~')
    or coalesce(scores.score_band, '~') <> coalesce(band_label.label, '~')
    or scores.is_mql <> (
        scores.total_score >= models.mql_threshold and not scores.is_disqualified
        {%- if not var('score_customers_as_upsell', false) %} and not scores.is_customer{% endif %}
    )
