{#- The SLA dashboard's roll-up: one row per (day the leads became MQLs, model, team, owner) over
    mql_sla - MQLs, met, breached, open, the share met of those decided (met + breached) and the
    average working hours to the first touch. Leads without an owner count under owner
    '(none)'. -#}
with

sla as (

    select * from {{ ref('mql_sla') }}

),

final as (

    select
        cast({{ dbt.date_trunc('day', 'mql_at') }} as date) as mql_date,
        model,
        coalesce(team, '(none)') as team,
        coalesce(owner_id, '(none)') as owner_id,
        cast(count(*) as {{ dbt.type_bigint() }}) as mqls,
        cast(sum(case when sla_status = 'met' then 1 else 0 end) as {{ dbt.type_bigint() }}) as met,
        cast(sum(case when sla_status = 'breached' then 1 else 0 end) as {{ dbt.type_bigint() }}) as breached,
        cast(sum(case when sla_status = 'open' then 1 else 0 end) as {{ dbt.type_bigint() }}) as open_mqls,
        cast(sum(case when sla_status = 'met' then 1 else 0 end) as {{ type_double() }})
        / nullif(sum(case when sla_status in ('met', 'breached') then 1 else 0 end), 0) as met_rate,
        cast(avg(business_hours_to_first_touch) as {{ type_double() }}) as avg_business_hours_to_first_touch
    from sla
    group by
        cast({{ dbt.date_trunc('day', 'mql_at') }} as date),
        model,
        coalesce(team, '(none)'),
        coalesce(owner_id, '(none)')

)

select * from final
