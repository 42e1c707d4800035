{#- Account roll-up (account-based marketing): one row per (account_id, model) over the leads
    scored as of T that carry an account_id (leads without one are left out).
    Disqualified leads count in leads but not in the scores:
      account_fit_score        = the best fit_score among the qualified leads (0 if none);
      account_engagement_score = least(100, sum of the qualified leads' engagement_score);
      account_total_score      = fit_weight * fit + engagement_weight * engagement (the model's
                                 weights), 2 decimals; account_band by the model's total thresholds.
    An engaged lead is a qualified lead with engagement_score >= var account_engaged_min_score. -#}
with

scores as (

    select * from {{ ref('int_lead_scores') }}

),

profiles as (

    select
        lead_id,
        account_id
    from {{ ref('int_lead_profile') }}
    where account_id is not null

),

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

thresholds as (

    select
        model,
        label,
        min_score,
        lead(min_score) over (partition by model order by min_score) as next_min_score
    from {{ ref('stg_scoring_config__thresholds') }}
    where dimension = 'total'

),

account_leads as (

    select
        profiles.account_id,
        scores.*,
        row_number() over (
            partition by profiles.account_id, scores.model
            order by scores.total_score desc, scores.lead_id asc
        ) as lead_rank
    from scores
    inner join profiles
        on scores.lead_id = profiles.lead_id

),

rolled_up as (

    select
        account_id,
        model,
        count(*) as leads,
        sum(case when not is_disqualified then 1 else 0 end) as qualified_leads,
        sum(case when not is_disqualified and engagement_score >= {{ project_var('account_engaged_min_score') }} then 1 else 0 end)
            as engaged_leads,
        sum(case when is_mql then 1 else 0 end) as mqls,
        max(case when lead_rank = 1 then lead_id end) as best_lead_id,
        max(case when lead_rank = 1 then total_score end) as best_lead_total_score,
        coalesce(max(case when not is_disqualified then fit_score end), 0) as account_fit_score,
        coalesce(sum(case when not is_disqualified then engagement_score end), 0) as engagement_score_sum
    from account_leads
    group by account_id, model

),

weighted as (

    select
        rolled_up.*,
        case when rolled_up.engagement_score_sum > 100 then 100 else rolled_up.engagement_score_sum end
            as account_engagement_score,
        models.fit_weight,
        models.engagement_weight
    from rolled_up
    inner join models
        on rolled_up.model = models.model

),

scored as (

    select
        *,
        {{ round_points('fit_weight * account_fit_score + engagement_weight * account_engagement_score') }}
            as account_total_score
    from weighted

),

final as (

    select
        scored.account_id,
        scored.model,
        {{ score_as_of() }} as scored_at,
        cast(scored.leads as {{ dbt.type_bigint() }}) as leads,
        cast(scored.qualified_leads as {{ dbt.type_bigint() }}) as qualified_leads,
        cast(scored.engaged_leads as {{ dbt.type_bigint() }}) as engaged_leads,
        cast(scored.mqls as {{ dbt.type_bigint() }}) as mqls,
        scored.best_lead_id,
        scored.best_lead_total_score,
        {{ round_points('scored.account_fit_score') }} as account_fit_score,
        {{ round_points('scored.account_engagement_score') }} as account_engagement_score,
        scored.account_total_score,
        thresholds.label as account_band
    from scored
    left join thresholds
        on scored.model = thresholds.model
            and scored.account_total_score >= thresholds.min_score
            and (thresholds.next_min_score is null or scored.account_total_score < thresholds.next_min_score)

)

select * from final
