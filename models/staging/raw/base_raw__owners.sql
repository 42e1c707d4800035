{#- Every raw owner row (raw.owners, optional), typed, with the reason it is rejected (null when
    kept). active is a flag (true / yes / 1, false / no / 0; missing counts as active) and
    capacity a relative weight for routing (missing: 1; 0 takes no new leads). An owner_id given
    twice keeps one row, the one with the lowest hash of its values, and quarantines the others as
    duplicate_owner_id. -#}
{%- set types = raw_column_types('owners') %}

with

source as (

    {{ optional_raw_table('owners') }}

),

cleaned as (

    select
        {{ clean_text('owner_id') }} as owner_id,
        lower({{ clean_text('team') }}) as team,
        lower({{ clean_text(optional_raw_column('region', types)) }}) as region,
        {{ clean_text(optional_raw_column('active', types)) }} as active_raw,
        {{ parse_flag(optional_raw_column('active', types)) }} as active,
        {{ clean_text(optional_raw_column('capacity', types)) }} as capacity_raw,
        case
            when {{ is_finite_number(safe_cast(clean_text(optional_raw_column('capacity', types)), type_double())) }}
                then {{ safe_cast(clean_text(optional_raw_column('capacity', types)), type_double()) }}
        end as capacity
    from source

),

validated as (

    select
        *,
        case
            when owner_id is null then 'missing_owner_id'
            when team is null then 'missing_team'
            when active_raw is not null and active is null then 'unparseable_active'
            when capacity_raw is not null and capacity is null then 'unparseable_capacity'
            when capacity < 0 then 'negative_capacity'
        end as validation_reason,
        {{ row_hash(['owner_id', 'team', 'region', 'active_raw', 'capacity_raw']) }} as row_key
    from cleaned

),

ranked as (

    select
        *,
        row_number() over (
            partition by owner_id, case when validation_reason is null then 0 else 1 end
            order by row_key
        ) as copy_rank
    from validated

),

final as (

    select
        owner_id,
        team,
        region,
        active_raw,
        coalesce(active, true) as active,
        capacity_raw,
        coalesce(capacity, 1) as capacity,
        coalesce(
            validation_reason,
            case when copy_rank > 1 then 'duplicate_owner_id' end
        ) as quarantine_reason
    from ranked

)

select * from final
