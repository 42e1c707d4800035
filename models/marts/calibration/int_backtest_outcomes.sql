{#- Each lead's outcome around the as-of T: converted at or before T (left out of backtests) and
    converted in (T, T + var backtest_horizon_days] (the label). Point in time: only the label
    looks past T. -#}

with

conversions as (

    select * from {{ ref('stg_raw__conversions') }}

),

final as (

    select
        lead_id,
        max(case when converted_at <= {{ score_as_of() }} then 1 else 0 end) = 1 as converted_before,
        max(case
            when converted_at > {{ score_as_of() }}
                and converted_at <= {{ dbt.dateadd('day', project_var('backtest_horizon_days'), score_as_of()) }}
                then 1
            else 0
        end) = 1 as converted_in_horizon
    from conversions
    group by lead_id

)

select * from final
