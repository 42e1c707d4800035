{#- The problems of seeds/sla_policies.csv, one row each: the seed file, the model, the row and the
    fix. Checked: the model exists; policy_id is given and unique per model; policy_order is a
    whole number, unique per model; every band listed is a band of the model; response_hours is a
    number > 0; business_hours is true or false; for business hours, a known time zone, a working
    day within 0-24 hours that ends after it starts, and working days from mon ... sun, each once. -#}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

policies as (

    select * from {{ ref('stg_scoring_config__sla_policies') }}

),

bands as (

    select
        model,
        lower(label) as label
    from {{ ref('stg_scoring_config__thresholds') }}
    where dimension = 'total'

),

listed_bands as (

    select
        model,
        policy_id,
        {{ split_to_rows('score_band') }} as label
    from policies
    where score_band is not null

),

listed_days as (

    select
        model,
        policy_id,
        {{ split_to_rows('workdays') }} as workday
    from policies
    where business_hours and workdays is not null

),

day_counts as (

    select
        model,
        policy_id,
        workday,
        count(*) as n_rows
    from listed_days
    group by model, policy_id, workday

),

id_counts as (

    select
        model,
        policy_id,
        count(*) as n_rows
    from policies
    where policy_id is not null
    group by model, policy_id

),

order_counts as (

    select
        model,
        policy_order,
        count(*) as n_rows
    from policies
    where policy_order is not null
    group by model, policy_order

),

problems as (

    select
        policies.model,
        policies.policy_id,
        'the model is not in seeds/scoring_models.csv.' as problem
    from policies
    left join models
        on policies.model = models.model
    where models.model is null
    union all
    select
        model,
        policy_id,
        'policy_id is blank. Fix: name the policy.'
    from policies
    where policy_id is null
    union all
    select
        model,
        policy_id,
        'the policy_id is listed more than once. Fix: give each policy of a model its own policy_id.'
    from id_counts
    where n_rows > 1
    union all
    select
        model,
        policy_id,
        {{ dbt.concat(["'policy_order '", "coalesce(policy_order_raw, '(blank)')",
            "' is not a whole number. Fix: number the policies in the order they are tried (10, 20, ...).'"]) }}
    from policies
    where policy_order is null or policy_order <> floor(policy_order)
    union all
    select
        policies.model,
        policies.policy_id,
        'another policy of the model has the same policy_order. Fix: give each policy its own policy_order.'
    from policies
    inner join order_counts
        on policies.model = order_counts.model
            and policies.policy_order = order_counts.policy_order
    where order_counts.n_rows > 1
    union all
    select
        listed_bands.model,
        listed_bands.policy_id,
        {{ dbt.concat(["'score_band '", "coalesce(listed_bands.label, '(blank)')",
            "' is not a band of the model in seeds/score_thresholds.csv. Fix: use its total labels, separated by |.'"]) }}
    from listed_bands
    left join bands
        on listed_bands.model = bands.model
            and listed_bands.label = bands.label
    where bands.label is null
    union all
    select
        model,
        policy_id,
        {{ dbt.concat(["'response_hours '", "coalesce(response_hours_raw, '(blank)')",
            "' is not a number > 0. Fix: the hours allowed to the first sales touch, e.g. 4.'"]) }}
    from policies
    where response_hours is null or not response_hours > 0
    union all
    select
        model,
        policy_id,
        {{ dbt.concat(["'business_hours '", "business_hours_raw", "' is not true or false.'"]) }}
    from policies
    where business_hours_raw is not null
        and {{ parse_flag('business_hours_raw') }} is null
    union all
    select
        model,
        policy_id,
        {{ dbt.concat(["'time_zone '", "time_zone",
            "' is not a time zone name. Fix: an IANA name such as Europe/Amsterdam, America/New_York or UTC.'"]) }}
    from policies
    where business_hours
        and not {{ is_known_time_zone('time_zone') }}
    union all
    select
        model,
        policy_id,
        'the working day must start at an hour from 0 and end after it, at 24 at the latest. Fix: set workday_start_hour and workday_end_hour, e.g. 9 and 17.'
    from policies
    where business_hours
        and not coalesce(workday_start_hour >= 0 and workday_end_hour > workday_start_hour and workday_end_hour <= 24, false)
    union all
    select
        model,
        policy_id,
        'workdays is blank. Fix: list the working days, e.g. mon|tue|wed|thu|fri.'
    from policies
    where business_hours
        and workdays is null
    union all
    select
        model,
        policy_id,
        {{ dbt.concat(["'workdays has '", "coalesce(workday, '(blank)')",
            "', which is not a day. Fix: use mon, tue, wed, thu, fri, sat and sun, separated by |.'"]) }}
    from day_counts
    where workday is null
        or workday not in ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')
    union all
    select
        model,
        policy_id,
        {{ dbt.concat(["'workdays lists '", "workday", "' twice. Fix: list each working day once.'"]) }}
    from day_counts
    where workday in ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')
        and n_rows > 1

),

final as (

    select
        'seeds/sla_policies.csv' as seed_file,
        model,
        {{ dbt.concat(["'policy '", "coalesce(policy_id, '(blank)')"]) }} as row_key,
        problem
    from problems

)

select * from final
