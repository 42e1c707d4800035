{#- One row per (lead, model) for every lead scored as of T that is in the model's segment
    (int_lead_models): points, 0-100 scores, labels, MQL flag and disqualification. A customer (a
    conversion at or before T) keeps its scores but is never an MQL, unless var
    score_customers_as_upsell is true. See the README for the exact semantics. lead_scores adds
    what history knows; lead_score_history and lead_score_reasons read this. -#}
{{ config(materialized='table') }}
with

leads as (

    select
        lead_id,
        last_activity_at
    from {{ ref('int_lead_profile') }}

),

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

lead_models as (

    select * from {{ ref('int_lead_models') }}

),

customers as (

    select distinct lead_id
    from {{ ref('stg_raw__conversions') }}
    where converted_at <= {{ score_as_of() }}

),

group_totals as (

    select * from {{ ref('int_lead_group_totals') }}

),

contributions as (

    select * from {{ ref('int_lead_rule_contributions') }}

),

thresholds as (

    select
        model,
        dimension,
        label,
        min_score,
        lead(min_score) over (partition by model, dimension order by min_score) as next_min_score
    from {{ ref('stg_scoring_config__thresholds') }}

),

dimension_points as (

    select
        lead_id,
        model,
        sum(case when dimension = 'fit' then points_total else 0 end) as fit_points,
        sum(case when dimension = 'engagement' then points_total else 0 end) as engagement_points
    from group_totals
    group by lead_id, model

),

disqualifications as (

    select
        lead_id,
        model,
        {{ sorted_list('rule_id', '|') }} as disqualification_reasons
    from contributions
    where disqualify
    group by lead_id, model

),

unrounded as (

    select
        leads.lead_id,
        models.model,
        leads.last_activity_at,
        models.mql_threshold,
        coalesce(dimension_points.fit_points, 0) as fit_points,
        coalesce(dimension_points.engagement_points, 0) as engagement_points,
        {{ clamp_score('coalesce(dimension_points.fit_points, 0)') }} as fit_score,
        {{ clamp_score('coalesce(dimension_points.engagement_points, 0)') }} as engagement_score,
        models.fit_weight,
        models.engagement_weight,
        disqualifications.disqualification_reasons,
        customers.lead_id is not null as is_customer
    from leads
    inner join lead_models
        on leads.lead_id = lead_models.lead_id
    inner join models
        on lead_models.model = models.model
    left join customers
        on leads.lead_id = customers.lead_id
    left join dimension_points
        on leads.lead_id = dimension_points.lead_id
            and models.model = dimension_points.model
    left join disqualifications
        on leads.lead_id = disqualifications.lead_id
            and models.model = disqualifications.model

),

rounded as (

    select
        lead_id,
        model,
        last_activity_at,
        mql_threshold,
        is_customer,
        disqualification_reasons,
        disqualification_reasons is not null as is_disqualified,
        {{ round_points('fit_points') }} as fit_points,
        {{ round_points('engagement_points') }} as engagement_points,
        {{ round_points('fit_score') }} as fit_score,
        {{ round_points('engagement_score') }} as engagement_score,
        case
            when disqualification_reasons is not null then {{ round_points('0') }}
            else {{ round_points('fit_weight * fit_score + engagement_weight * engagement_score') }}
        end as total_score
    from unrounded

),

labelled as (

    select
        rounded.*,
        fit_labels.label as fit_grade,
        engagement_labels.label as engagement_grade,
        total_labels.label as score_band
    from rounded
    left join thresholds as fit_labels
        on rounded.model = fit_labels.model
            and fit_labels.dimension = 'fit'
            and rounded.fit_score >= fit_labels.min_score
            and (fit_labels.next_min_score is null or rounded.fit_score < fit_labels.next_min_score)
    left join thresholds as engagement_labels
        on rounded.model = engagement_labels.model
            and engagement_labels.dimension = 'engagement'
            and rounded.engagement_score >= engagement_labels.min_score
            and (engagement_labels.next_min_score is null or rounded.engagement_score < engagement_labels.next_min_score)
    left join thresholds as total_labels
        on rounded.model = total_labels.model
            and total_labels.dimension = 'total'
            and rounded.total_score >= total_labels.min_score
            and (total_labels.next_min_score is null or rounded.total_score < total_labels.next_min_score)

),

final as (

    select
        lead_id,
        model,
        {{ score_as_of() }} as scored_at,
        fit_points,
        engagement_points,
        fit_score,
        engagement_score,
        total_score,
        fit_grade,
        engagement_grade,
        case
            when fit_grade is not null and engagement_grade is not null
                then {{ dbt.concat(['fit_grade', 'engagement_grade']) }}
        end as score_matrix,
        score_band,
        total_score >= mql_threshold and not is_disqualified
        {%- if not project_var('score_customers_as_upsell') %} and not is_customer{% endif %} as is_mql,
        is_disqualified,
        is_customer,
        disqualification_reasons,
        last_activity_at
    from labelled

)

select * from final
