-- Every raw row is accounted for: raw rows = staged + quarantined + superseded, per table,
-- counted from the sources and the public tables (not from staging_reconciliation).
with

counts as (

    select
        'leads' as source_table,
        (select count(*) from {{ source('raw', 'leads') }}) as raw_rows,
        (select count(*) from {{ ref('stg_raw__leads') }}) as staged_rows,
        (select count(*) from {{ ref('quarantined_leads') }}) as quarantined_rows,
        (
            select count(*) from {{ ref('base_raw__leads') }}
            where quarantine_reason is null and version_rank > 1)
            as superseded_rows
    union all
    select
        'events' as source_table,
        (select count(*) from {{ source('raw', 'events') }}) as raw_rows,
        (select count(*) from {{ ref('stg_raw__events') }}) as staged_rows,
        (select count(*) from {{ ref('quarantined_events') }}) as quarantined_rows,
        0 as superseded_rows
    union all
    select
        'conversions' as source_table,
        (select count(*) from {{ source('raw', 'conversions') }}) as raw_rows,
        (select count(*) from {{ ref('stg_raw__conversions') }}) as staged_rows,
        (select count(*) from {{ ref('quarantined_conversions') }}) as quarantined_rows,
        0 as superseded_rows

)

select *
from counts
where raw_rows <> staged_rows + quarantined_rows + superseded_rows
