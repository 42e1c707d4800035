-- Every raw row is accounted for: raw rows = staged + quarantined + superseded, per table,
-- counted from the sources and the public tables (not from staging_reconciliation).
with

counts as (

    select
        'leads' as source_table,
        (select count(*) from {{ source('raw', 'leads') }}) as raw_rows,
        (select count(*) from {{ ref('stg_leads') }}) as staged_rows,
        (select count(*) from {{ ref('quarantined_leads') }}) as quarantined_rows,
        (select count(*) from {{ ref('base_leads') }} where quarantine_reason is null and version_rank > 1)
            as superseded_rows
    union all
    select
        'events',
        (select count(*) from {{ source('raw', 'events') }}),
        (select count(*) from {{ ref('stg_events') }}),
        (select count(*) from {{ ref('quarantined_events') }}),
        0
    union all
    select
        'conversions',
        (select count(*) from {{ source('raw', 'conversions') }}),
        (select count(*) from {{ ref('stg_conversions') }}),
        (select count(*) from {{ ref('quarantined_conversions') }}),
        0

)

select *
from counts
where raw_rows <> staged_rows + quarantined_rows + superseded_rows
