{#- Every raw lead row, typed and cleaned, with the reason it is rejected (null when valid) and
    its version rank among the valid rows of the same lead_id. stg_raw__leads keeps rank 1 of the
    valid rows; quarantined_leads keeps the rejected ones; higher ranks are superseded versions.
    A table because three models read it. -#}
{{ config(materialized='table') }}
{%- set raw_types = raw_column_types('leads') %}

with

source as (

    select * from {{ source('raw', 'leads') }}

),

cleaned as (

    select
        {{ clean_text('lead_id') }} as lead_id,
        {%- for c in lead_text_columns() %}
            {% if c == 'email' %}lower({{ clean_text(c) }}){% else %}{{ clean_text(c) }}{% endif %} as {{ c }},
        {%- endfor %}
        {%- for c in lead_numeric_columns() %}
            {{ clean_text(c) }} as {{ c }}_raw,
        {%- endfor %}
        {{ clean_text('created_at') }} as created_at_raw,
        {{ clean_text('updated_at') }} as updated_at_raw,
        {{ utc_timestamp('created_at', raw_types.get('created_at', '')) }} as created_at,
        {{ utc_timestamp('updated_at', raw_types.get('updated_at', '')) }} as updated_at,
        {{ row_hash(['lead_id'] + lead_text_columns() + lead_numeric_columns() + ['created_at', 'updated_at']) }} as row_hash
    from source

),

typed as (

    select
        *,
        {%- for c in lead_numeric_columns() %}
            case
                when {{ is_finite_number(safe_cast(c ~ '_raw', type_double())) }} then {{ safe_cast(c ~ '_raw', type_double()) }}
            end as {{ c }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from cleaned

),

validated as (

    select
        *,
        case
            when lead_id is null then 'missing_lead_id'
            {%- for c in lead_numeric_columns() %}
                when {{ c }}_raw is not null and {{ c }} is null then 'unparseable_{{ c }}'
                {%- if c in contract_lead_numeric_columns() %}
                    when {{ c }} < 0 then 'negative_{{ c }}'
                {%- endif %}
            {%- endfor %}
            when created_at_raw is not null and created_at is null then 'unparseable_created_at'
            when created_at < {{ min_plausible_timestamp() }}
                then 'implausible_created_at'
            when updated_at_raw is not null and updated_at is null then 'unparseable_updated_at'
            when updated_at < {{ min_plausible_timestamp() }}
                then 'implausible_updated_at'
        end as quarantine_reason
    from typed

),

final as (

    select
        *,
        -- latest updated_at wins - a null updated_at sorts oldest - exact ties: highest row_hash
        case
            when quarantine_reason is null
                then row_number() over (
                        partition by lead_id, case when quarantine_reason is null then 1 else 0 end
                        order by updated_at desc nulls last, row_hash desc
                    )
        end as version_rank
    from validated

)

select * from final
