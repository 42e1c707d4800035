{#- The leads scored as of T: staged leads created at or before T (or with no created_at). -#}
with

leads as (

    select * from {{ ref('stg_raw__leads') }}

),

final as (

    select *
    from leads
    where created_at is null or created_at <= {{ score_as_of() }}

)

select * from final
