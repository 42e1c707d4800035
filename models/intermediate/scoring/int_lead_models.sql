{#- One row per (lead, model) the model scores as of T: every lead scored as of T for a model
    without a segment; for a model with one (scoring_models.segment, a condition set), only the
    leads that meet it. Leads outside a model's segment get no score, reason or history row for
    it. -#}
{{ config(materialized='table') }}

with

leads as (

    select lead_id from {{ ref('int_leads_as_of') }}

),

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

lead_conditions as (

    select * from {{ ref('int_lead_conditions') }}

),

final as (

    select
        leads.lead_id,
        models.model
    from leads
    cross join models
    where models.segment is null
    union all
    select
        lead_conditions.lead_id,
        models.model
    from models
    inner join lead_conditions
        on models.model = lead_conditions.model
            and models.segment = lead_conditions.condition_set

)

select * from final
