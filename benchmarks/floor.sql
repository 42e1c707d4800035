-- The floor for the benchmark: lead_scores.total_score computed by one hand-written DuckDB
-- statement straight from raw.* and the loaded seeds (scoring_config.*), with the project's
-- semantics (validation, latest lead version, de-duplicated events, derived attributes, rule
-- operators, decay, windows, condition sets with counts and absence, segments, rule and group
-- caps, clamping, weights, disqualification) but none
-- of its structure: no intermediate tables, no quarantine, no reasons, no config validation
-- (it assumes the points table is valid) and the default lead columns only.
-- {as_of} and {keyboard_runs} are filled in by benchmarks/benchmark.py. The scoring floor replaces
-- the sections marked below with those of floor_from_state.sql.
with

rules as (
    select
        model,
        rule_id,
        lower(trim(dimension)) as dimension,
        nullif(trim(rule_group), '') as rule_group,
        lower(trim(source)) as source,
        lower(trim(field)) as field,
        lower(nullif(trim(operator), '')) as operator,
        lower(regexp_replace(nullif(trim(value), ''), ' *[|] *', '|', 'g')) as value,
        try_cast(nullif(trim(value), '') as double) as value_number,
        try_cast(nullif(trim(value_to), '') as double) as value_to_number,
        cast(points as double) as points,
        try_cast(nullif(trim(max_points), '') as double) as max_points,
        try_cast(nullif(trim(half_life_days), '') as double) as half_life_days,
        try_cast(nullif(trim(window_days), '') as double) as window_days,
        try_cast(nullif(trim(once_per_days), '') as double) as once_per_days,
        lower(nullif(trim(only_if), '')) as only_if,
        coalesce(lower(trim(disqualify)) = 'true', false) as disqualify
    from scoring_config.scoring_rules
),

models as (
    select
        model,
        try_cast(nullif(trim(default_half_life_days), '') as double) as default_half_life_days,
        cast(fit_weight as double) as fit_weight,
        cast(engagement_weight as double) as engagement_weight,
        lower(nullif(trim(segment), '')) as segment
    from scoring_config.scoring_models
),

conditions as (
    select
        model,
        lower(trim(condition_set)) as condition_set,
        lower(trim(match)) as match_mode,
        lower(trim(source)) as source,
        lower(regexp_replace(trim(field), ' *[|] *', '|', 'g')) as field,
        lower(nullif(trim(operator), '')) as operator,
        lower(regexp_replace(nullif(trim(value), ''), ' *[|] *', '|', 'g')) as value,
        try_cast(nullif(trim(value), '') as double) as value_number,
        try_cast(nullif(trim(value_to), '') as double) as value_to_number,
        lower(nullif(trim(detail_operator), '')) as detail_operator,
        lower(regexp_replace(nullif(trim(detail_value), ''), ' *[|] *', '|', 'g')) as detail_value,
        try_cast(nullif(trim(detail_value), '') as double) as detail_value_number,
        try_cast(nullif(trim(window_days), '') as double) as window_days,
        row_number() over () as condition_id
    from scoring_config.scoring_conditions
),

condition_event_types as (
    -- event conditions, one row per event type of their list
    select model, condition_id, unnest(string_split(field, '|')) as event_type, detail_operator, detail_value,
        detail_value_number, window_days
    from conditions
    where source = 'event'
),

lead_rows as (
    select
        nullif(trim(lead_id), '') as lead_id,
        lower(nullif(trim(email), '')) as email,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(company), '') as company,
        nullif(trim(job_title), '') as job_title,
        nullif(trim(seniority), '') as seniority,
        nullif(trim(department), '') as department,
        nullif(trim(industry), '') as industry,
        nullif(trim(country), '') as country,
        nullif(trim(region), '') as region,
        nullif(trim(city), '') as city,
        nullif(trim(phone), '') as phone,
        nullif(trim(account_id), '') as account_id,
        nullif(trim(lead_source), '') as lead_source,
        nullif(trim(cast(employees as varchar)), '') as employees_raw,
        nullif(trim(cast(annual_revenue as varchar)), '') as annual_revenue_raw,
        try_cast(nullif(trim(cast(employees as varchar)), '') as double) as employees,
        try_cast(nullif(trim(cast(annual_revenue as varchar)), '') as double) as annual_revenue,
        nullif(trim(cast(created_at as varchar)), '') as created_at_raw,
        nullif(trim(cast(updated_at as varchar)), '') as updated_at_raw,
        try_cast(created_at as timestamp) as created_at,
        try_cast(updated_at as timestamp) as updated_at,
        md5(concat_ws('|',
            coalesce(cast(lead_id as varchar), '~'), coalesce(cast(account_id as varchar), '~'),
            coalesce(cast(email as varchar), '~'), coalesce(cast(first_name as varchar), '~'),
            coalesce(cast(last_name as varchar), '~'), coalesce(cast(company as varchar), '~'),
            coalesce(cast(job_title as varchar), '~'), coalesce(cast(seniority as varchar), '~'),
            coalesce(cast(department as varchar), '~'), coalesce(cast(industry as varchar), '~'),
            coalesce(cast(country as varchar), '~'), coalesce(cast(region as varchar), '~'),
            coalesce(cast(city as varchar), '~'), coalesce(cast(phone as varchar), '~'),
            coalesce(cast(lead_source as varchar), '~'), coalesce(cast(employees as varchar), '~'),
            coalesce(cast(annual_revenue as varchar), '~'), coalesce(cast(created_at as varchar), '~'),
            coalesce(cast(updated_at as varchar), '~'))) as row_hash
    from raw.leads
),

valid_leads as (
    select
        *,
        row_number() over (partition by lead_id order by updated_at desc nulls last, row_hash desc) as version_rank
    from lead_rows
    where lead_id is not null
        and not (employees_raw is not null and employees is null) and not coalesce(employees < 0, false)
        and not (annual_revenue_raw is not null and annual_revenue is null) and not coalesce(annual_revenue < 0, false)
        and not (created_at_raw is not null and created_at is null)
        and not coalesce(created_at < timestamp '1990-01-01', false)
        and not (updated_at_raw is not null and updated_at is null)
        and not coalesce(updated_at < timestamp '1990-01-01', false)
),

leads as (
    select
        *,
        nullif(regexp_extract(email, '@([^@]*)$', 1), '') as email_domain,
        row_number() over () as lead_key
    from valid_leads
    where version_rank = 1 and (created_at is null or created_at <= timestamp '{as_of}')
),

-- section events: the valid, de-duplicated events at or before T, with their raw text (matched
-- to the rules through event_pairs below), and the event rules scored from them
event_rules as (
    select * from rules
    where source = 'event'
),

valid_rows as (
    -- the raw rows that pass validation (blank text counts as missing): row number and id key only
    select rowid as row_key, hash(trim(event_id)) as event_key
    from raw.events
    where trim(event_id) <> '' and trim(lead_id) <> '' and trim(event_type) <> ''
        and try_cast(occurred_at as timestamp) >= timestamp '1990-01-01'
        and try_cast(loaded_at as timestamp) is not null
),

repeated_keys as (
    -- keys of the ids with several valid copies: a repeated key sorts next to its twin, cheaper
    -- than a group by over 50M distinct keys (a hash collision only adds an id that ranks 1)
    select distinct event_key
    from (select event_key, lag(event_key) over (order by event_key) as previous_key from valid_rows) as sorted_keys
    where event_key = previous_key
),

dropped_copies as (
    -- the copies a duplicate id does not keep: all but its earliest, as staging ranks them
    select row_key
    from (
        select
            raw_rows.rowid as row_key,
            row_number() over (
                partition by trim(raw_rows.event_id)
                order by try_cast(raw_rows.occurred_at as timestamp), trim(raw_rows.lead_id),
                    lower(trim(raw_rows.event_type)), lower(nullif(trim(raw_rows.event_detail), '')) nulls first,
                    try_cast(raw_rows.loaded_at as timestamp)
            ) as copy_rank
        from raw.events as raw_rows
        inner join valid_rows on raw_rows.rowid = valid_rows.row_key
        inner join repeated_keys on valid_rows.event_key = repeated_keys.event_key
    ) as ranked
    where copy_rank > 1
),

event_rows as (
    -- one pass over the raw rows: the event id only tested for blank (no hash, no ranking), no
    -- other text cleaned per row (blank lead ids and types find no lead or pair below)
    select
        raw_rows.lead_id as raw_lead_id,
        raw_rows.event_type as raw_type,
        raw_rows.event_detail as raw_detail,
        (epoch(timestamp '{as_of}') - epoch(try_cast(raw_rows.occurred_at as timestamp))) / 86400.0 as age_days,
        try_cast(raw_rows.occurred_at as timestamp) as occurred_at
    from raw.events as raw_rows
    where trim(raw_rows.event_id) <> '' and try_cast(raw_rows.occurred_at as timestamp) >= timestamp '1990-01-01'
        and try_cast(raw_rows.occurred_at as timestamp) <= timestamp '{as_of}'
        and try_cast(raw_rows.loaded_at as timestamp) is not null
        and raw_rows.rowid not in (select row_key from dropped_copies)
),

raw_pairs as (
    -- the distinct raw (type, detail) pairs
    select distinct event_type as raw_type, event_detail as raw_detail
    from raw.events
),

-- end section events
event_tests as (
    -- the event rules (with their half-life), the event conditions (one row per type) and the two
    -- activity dates, each with a small integer key to group on
    select row_number() over () as test_key, *
    from (
    select 'rule' as kind, event_rules.model, event_rules.rule_id as test_id, event_rules.field as event_type,
        event_rules.operator, event_rules.value, event_rules.value_number, event_rules.value_to_number,
        event_rules.window_days, event_rules.once_per_days,
        nullif(coalesce(event_rules.half_life_days, models.default_half_life_days, 0), 0) as half_life_days
    from event_rules
    inner join models on event_rules.model = models.model
    union all
    select 'condition', model, cast(condition_id as varchar), event_type, detail_operator, detail_value,
        detail_value_number, null, window_days, null, null
    from condition_event_types
    union all
    select 'activity', null, 'last_activity', null, 'activity', null, null, null, null, null, null
    union all
    select 'activity', null, 'last_email_engagement', null, 'email_engagement', null, null, null, null, null, null
    ) as tests
),

event_pairs as (
    -- the few distinct raw (type, detail) pairs, cleaned once
    select raw_type, raw_detail, lower(nullif(trim(raw_type), '')) as event_type,
        lower(nullif(trim(raw_detail), '')) as event_detail
    from raw_pairs
),

pair_tests as (
    -- each pair with every test it passes (the activity dates by the pair's type)
    select pairs.raw_type, pairs.raw_detail, tests.test_key, tests.window_days, tests.once_per_days,
        tests.half_life_days
    from event_pairs as pairs
    inner join event_tests as tests
        on pairs.event_type = tests.event_type or (tests.kind = 'activity' and pairs.event_type is not null)
    where case
        when tests.operator = 'activity' then pairs.event_type not in ('email_delivered', 'email_bounce')
        when tests.operator = 'email_engagement' then pairs.event_type in ('email_open', 'email_click', 'email_reply')
        when tests.operator is null then true
        when tests.operator = 'is_set' then pairs.event_detail is not null
        when tests.operator = 'is_not_set' then pairs.event_detail is null
        when pairs.event_detail is null then false
        when tests.operator = 'equals' then pairs.event_detail = tests.value
        when tests.operator = 'not_equals' then pairs.event_detail <> tests.value
        when tests.operator = 'in' then list_contains(string_split(tests.value, '|'), pairs.event_detail)
        when tests.operator = 'not_in' then not list_contains(string_split(tests.value, '|'), pairs.event_detail)
        when tests.operator = 'contains' then position(tests.value in pairs.event_detail) > 0
        when tests.operator = 'gte' then coalesce(try_cast(pairs.event_detail as double) >= tests.value_number, false)
        when tests.operator = 'lte' then coalesce(try_cast(pairs.event_detail as double) <= tests.value_number, false)
        when tests.operator = 'between' then coalesce(try_cast(pairs.event_detail as double) >= tests.value_number
            and try_cast(pairs.event_detail as double) <= tests.value_to_number, false)
        else false
    end
),

event_sums as (
    -- one aggregation per (raw lead, test key): matches in the window, their decay factors, the
    -- oldest and newest; a test counted once per N days per N-day period (from 1970-01-01)
    select
        rows.raw_lead_id,
        tests.test_key,
        case when tests.once_per_days is not null
            then cast(floor(epoch(rows.occurred_at) / (86400 * tests.once_per_days)) as bigint) end as once_period,
        count(*) as n,
        sum(case when tests.half_life_days is null then 1.0
            else power(0.5, rows.age_days / tests.half_life_days) end) as decay_sum,
        max(rows.age_days) as first_age_days,
        max(rows.occurred_at) as last_at
    from event_rows as rows
    inner join pair_tests as tests
        on rows.raw_type = tests.raw_type and rows.raw_detail is not distinct from tests.raw_detail
    where tests.window_days is null or rows.age_days < tests.window_days
    group by all
),

event_test_sums as (
    -- per (lead, test), on the integer keys; a test counted once per N days takes the oldest
    -- (first) event of each period
    select
        leads.lead_id,
        tests.kind,
        tests.model,
        tests.test_id,
        per_test.n,
        per_test.decay_total,
        per_test.last_at
    from (
        select
            leads.lead_key,
            event_sums.test_key,
            sum(event_sums.n) as n,
            sum(case
                when event_sums.once_period is null then event_sums.decay_sum
                when tests.half_life_days is null then 1.0
                else power(0.5, event_sums.first_age_days / tests.half_life_days) end) as decay_total,
            max(event_sums.last_at) as last_at
        from event_sums
        inner join leads on trim(event_sums.raw_lead_id) = leads.lead_id
        inner join event_tests as tests on event_sums.test_key = tests.test_key
        group by leads.lead_key, event_sums.test_key
    ) as per_test
    inner join leads on per_test.lead_key = leads.lead_key
    inner join event_tests as tests on per_test.test_key = tests.test_key
),

-- section activity: the last activity and the last email engagement of each lead
activity as (
    select
        lead_id,
        max(case when test_id = 'last_activity' then last_at end) as last_activity_at,
        max(case when test_id = 'last_email_engagement' then last_at end) as last_email_engagement_at
    from event_test_sums
    where kind = 'activity'
    group by lead_id
),

-- end section activity
domain_lists as (
    select
        lead_domains.domain,
        min(case lower(trim(lists.domain_type))
            when 'internal' then 1 when 'competitor' then 2 when 'disposable' then 3
            when 'education' then 4 when 'personal' then 5 end) as precedence
    from (select distinct email_domain as domain from leads where email_domain is not null) as lead_domains
    inner join scoring_config.email_domains as lists
        on lead_domains.domain = lower(trim(lists.domain))
            or right(lead_domains.domain, length(trim(lists.domain)) + 1) = '.' || lower(trim(lists.domain))
    group by lead_domains.domain
),

profile as (
    select
        leads.*,
        coalesce((leads.first_name = lower(leads.first_name) and leads.first_name <> upper(leads.first_name))
            or (leads.last_name = lower(leads.last_name) and leads.last_name <> upper(leads.last_name)), false)
            as name_without_capital,
        coalesce(regexp_matches(lower(coalesce(leads.first_name, '') || ' ' || coalesce(leads.last_name, '') || ' '
            || coalesce(leads.company, '')), '{keyboard_runs}'), false) as keyboard_run,
        coalesce(leads.email is not null and not regexp_matches(leads.email, '^[^@\s]+@[^@\s]+[.][^@\s]+$'), false)
            as invalid_email,
        (leads.phone is not null)::int + (leads.job_title is not null)::int + (leads.seniority is not null)::int
        + (leads.department is not null)::int + (leads.company is not null)::int + (leads.industry is not null)::int
        + (leads.employees is not null)::int + (leads.annual_revenue is not null)::int
        + (leads.country is not null)::int + (leads.region is not null)::int + (leads.city is not null)::int
            as optional_fields_filled,
        case domain_lists.precedence
            when 1 then 'internal' when 2 then 'competitor' when 3 then 'disposable'
            when 4 then 'education' when 5 then 'personal' end as email_domain_list,
        (epoch(timestamp '{as_of}') - epoch(activity.last_activity_at)) / 86400.0 as days_since_last_activity,
        (epoch(timestamp '{as_of}') - epoch(activity.last_email_engagement_at)) / 86400.0
            as days_since_last_email_engagement,
        (epoch(timestamp '{as_of}') - epoch(leads.created_at)) / 86400.0 as days_since_created
    from leads
    left join activity on leads.lead_id = activity.lead_id
    left join domain_lists on leads.email_domain = domain_lists.domain
),

attributes as (
    select
        lead_id,
        unnest([
            {'attribute': 'account_id', 'kind': 'text', 'value_text': account_id},
            {'attribute': 'email', 'kind': 'text', 'value_text': email},
            {'attribute': 'first_name', 'kind': 'text', 'value_text': first_name},
            {'attribute': 'last_name', 'kind': 'text', 'value_text': last_name},
            {'attribute': 'company', 'kind': 'text', 'value_text': company},
            {'attribute': 'job_title', 'kind': 'text', 'value_text': job_title},
            {'attribute': 'seniority', 'kind': 'text', 'value_text': seniority},
            {'attribute': 'department', 'kind': 'text', 'value_text': department},
            {'attribute': 'industry', 'kind': 'text', 'value_text': industry},
            {'attribute': 'country', 'kind': 'text', 'value_text': country},
            {'attribute': 'region', 'kind': 'text', 'value_text': region},
            {'attribute': 'city', 'kind': 'text', 'value_text': city},
            {'attribute': 'phone', 'kind': 'text', 'value_text': phone},
            {'attribute': 'lead_source', 'kind': 'text', 'value_text': lead_source},
            {'attribute': 'email_domain', 'kind': 'text', 'value_text': email_domain},
            {'attribute': 'email_domain_type', 'kind': 'text', 'value_text': case
                when email is null then 'missing'
                when email_domain_list in ('internal', 'competitor') then email_domain_list
                when invalid_email then 'invalid'
                when email_domain_list is not null then email_domain_list
                else 'business' end},
            {'attribute': 'employees', 'kind': 'number', 'value_text': cast(employees as varchar)},
            {'attribute': 'annual_revenue', 'kind': 'number', 'value_text': cast(annual_revenue as varchar)},
            {'attribute': 'spam_signals', 'kind': 'number', 'value_text': cast(
                name_without_capital::int + keyboard_run::int + invalid_email::int as varchar)},
            {'attribute': 'optional_fields_filled', 'kind': 'number', 'value_text': cast(optional_fields_filled as varchar)},
            {'attribute': 'days_since_last_activity', 'kind': 'number', 'value_text': cast(days_since_last_activity as varchar)},
            {'attribute': 'days_since_last_email_engagement', 'kind': 'number',
                'value_text': cast(days_since_last_email_engagement as varchar)},
            {'attribute': 'days_since_created', 'kind': 'number', 'value_text': cast(days_since_created as varchar)},
            {'attribute': 'name_without_capital', 'kind': 'boolean', 'value_text': cast(name_without_capital as varchar)},
            {'attribute': 'keyboard_run', 'kind': 'boolean', 'value_text': cast(keyboard_run as varchar)},
            {'attribute': 'invalid_email', 'kind': 'boolean', 'value_text': cast(invalid_email as varchar)}
        ]) as a
    from profile
),

attribute_tests as (
    -- the attribute rules and the attribute conditions, tested in one pass
    select 'rule' as kind, model, rule_id as test_id, field, operator, value, value_number, value_to_number
    from rules
    where source = 'attribute'
    union all
    select 'condition', model, cast(condition_id as varchar), field, operator, value, value_number, value_to_number
    from conditions
    where source = 'attribute'
),

attribute_hits as (
    select attributes.lead_id, rules.kind, rules.model, rules.test_id
    from attributes
    inner join attribute_tests as rules
        on attributes.a.attribute = rules.field
    where case
        when rules.operator = 'is_set' then attributes.a.value_text is not null
        when rules.operator = 'is_not_set' then attributes.a.value_text is null
        when attributes.a.value_text is null then false
        when attributes.a.kind = 'number' and rules.operator in ('equals', 'not_equals', 'in', 'not_in') then
            case rules.operator
                when 'equals' then coalesce(try_cast(attributes.a.value_text as double) = rules.value_number, false)
                when 'not_equals' then coalesce(try_cast(attributes.a.value_text as double) <> rules.value_number, false)
                when 'in' then list_contains(list_transform(string_split(rules.value, '|'), lambda x: try_cast(x as double)),
                    try_cast(attributes.a.value_text as double))
                else not coalesce(list_contains(list_transform(string_split(rules.value, '|'), lambda x: try_cast(x as double)),
                    try_cast(attributes.a.value_text as double)), false)
            end
        when rules.operator = 'equals' then lower(attributes.a.value_text) = rules.value
        when rules.operator = 'not_equals' then lower(attributes.a.value_text) <> rules.value
        when rules.operator = 'in' then list_contains(string_split(rules.value, '|'), lower(attributes.a.value_text))
        when rules.operator = 'not_in' then not list_contains(string_split(rules.value, '|'), lower(attributes.a.value_text))
        when rules.operator = 'contains' then position(rules.value in lower(attributes.a.value_text)) > 0
        when attributes.a.kind = 'boolean' then false
        when rules.operator = 'gte' then coalesce(try_cast(attributes.a.value_text as double) >= rules.value_number, false)
        when rules.operator = 'lte' then coalesce(try_cast(attributes.a.value_text as double) <= rules.value_number, false)
        when rules.operator = 'between' then coalesce(try_cast(attributes.a.value_text as double) >= rules.value_number
            and try_cast(attributes.a.value_text as double) <= rules.value_to_number, false)
        else false
    end
),

attribute_points as (
    select
        hits.lead_id,
        rules.model,
        rules.dimension,
        rules.rule_group,
        rules.disqualify,
        rules.rule_id,
        case when rules.max_points is null then rules.points
            else greatest(least(rules.points, rules.max_points), -rules.max_points) end as contribution
    from attribute_hits as hits
    inner join rules on hits.kind = 'rule' and hits.model = rules.model and hits.test_id = rules.rule_id
),

event_points as (
    select
        sums.lead_id,
        rules.model,
        rules.dimension,
        rules.rule_group,
        rules.disqualify,
        rules.rule_id,
        rules.points * sums.decay_total as raw_points,
        rules.max_points
    from event_test_sums as sums
    inner join rules on sums.kind = 'rule' and sums.model = rules.model and sums.test_id = rules.rule_id
),

condition_truth as (
    -- (lead, condition) pairs that hold: attribute conditions, and event conditions by their count
    -- in the window (none: no such event, also for a lead that never had one)
    select lead_id, model, cast(test_id as bigint) as condition_id
    from attribute_hits
    where kind = 'condition'
    union all
    select leads.lead_id, conditions.model, conditions.condition_id
    from leads
    cross join conditions
    left join (
        select lead_id, model, cast(test_id as bigint) as condition_id, sum(n) as n
        from event_test_sums
        where kind = 'condition'
        group by all
    ) as counted on leads.lead_id = counted.lead_id and conditions.model = counted.model
        and conditions.condition_id = counted.condition_id
    where conditions.source = 'event' and case conditions.operator
        when 'none' then coalesce(counted.n, 0) = 0
        when 'count_gte' then coalesce(counted.n, 0) >= conditions.value_number
        when 'count_lte' then coalesce(counted.n, 0) <= conditions.value_number
        when 'count_between' then coalesce(counted.n, 0) between conditions.value_number and conditions.value_to_number
        else false end
),

set_shapes as (
    select model, condition_set, any_value(match_mode) as match_mode, count(*) as size,
        count(*) filter (where source = 'condition_set') as nested
    from conditions
    group by all
),

plain_sets_held as (
    -- sets without references, held when all (or any) of their conditions are
    select truth.lead_id, conditions.model, conditions.condition_set
    from condition_truth as truth
    inner join conditions on truth.model = conditions.model and truth.condition_id = conditions.condition_id
    inner join set_shapes on conditions.model = set_shapes.model and conditions.condition_set = set_shapes.condition_set
    where set_shapes.nested = 0
    group by all
    having any_value(set_shapes.match_mode) = 'any' or count(*) = any_value(set_shapes.size)
),

sets_held as (
    select * from plain_sets_held
    union all
    -- sets naming other sets (one level): a reference holds when the named set does
    select held.lead_id, held.model, held.condition_set
    from (
        select truth.lead_id, conditions.model, conditions.condition_set
        from condition_truth as truth
        inner join conditions on truth.model = conditions.model and truth.condition_id = conditions.condition_id
        union all
        select plain.lead_id, conditions.model, conditions.condition_set
        from conditions
        inner join plain_sets_held as plain on conditions.model = plain.model and conditions.field = plain.condition_set
        where conditions.source = 'condition_set'
    ) as held
    inner join set_shapes on held.model = set_shapes.model and held.condition_set = set_shapes.condition_set
    where set_shapes.nested > 0
    group by all
    having any_value(set_shapes.match_mode) = 'any' or count(*) = any_value(set_shapes.size)
),

condition_points as (
    select
        sets_held.lead_id, rules.model, rules.dimension, rules.rule_group, rules.disqualify, rules.rule_id,
        case when rules.max_points is null then rules.points
            else greatest(least(rules.points, rules.max_points), -rules.max_points) end as contribution
    from sets_held
    inner join rules on rules.source = 'conditions' and sets_held.model = rules.model
        and sets_held.condition_set = rules.field
),

rule_contributions as (
    select lead_id, model, rule_id, dimension, rule_group, disqualify, contribution from attribute_points
    union all
    select lead_id, model, rule_id, dimension, rule_group, disqualify, contribution from condition_points
    union all
    select
        lead_id, model, rule_id, dimension, rule_group, disqualify,
        case when max_points is null then raw_points else greatest(least(raw_points, max_points), -max_points) end
    from event_points
    -- section stored_event_points: none here
    -- end section stored_event_points
),

gated_rules as (
    select model, rule_id, only_if from rules where only_if is not null
),

contributions as (
    -- a rule with only_if counts where its set holds
    select
        rule_contributions.lead_id, rule_contributions.model, rule_contributions.dimension,
        rule_contributions.rule_group, rule_contributions.disqualify, rule_contributions.contribution
    from rule_contributions
    left join gated_rules
        on rule_contributions.model = gated_rules.model and rule_contributions.rule_id = gated_rules.rule_id
    left join sets_held as gate
        on gated_rules.model = gate.model and gated_rules.only_if = gate.condition_set
            and rule_contributions.lead_id = gate.lead_id
    where gated_rules.rule_id is null or gate.lead_id is not null
),

group_points as (
    select
        contributions.lead_id,
        contributions.model,
        contributions.dimension,
        case when max(groups.max_points) is null then sum(contributions.contribution)
            else greatest(least(sum(contributions.contribution), max(cast(groups.max_points as double))),
                -max(cast(groups.max_points as double))) end as points,
        bool_or(contributions.disqualify) as disqualified
    from contributions
    left join scoring_config.scoring_groups as groups
        on contributions.model = groups.model and contributions.rule_group = groups.rule_group
    group by contributions.lead_id, contributions.model, contributions.dimension, groups.rule_group
),

lead_points as (
    select
        lead_id,
        model,
        sum(case when dimension = 'fit' then points else 0 end) as fit_points,
        sum(case when dimension = 'engagement' then points else 0 end) as engagement_points,
        bool_or(disqualified) as disqualified
    from group_points
    group by lead_id, model
)

select
    leads.lead_id,
    models.model,
    case when coalesce(lead_points.disqualified, false) then 0.00 else cast(round(cast(
        models.fit_weight * greatest(least(coalesce(lead_points.fit_points, 0), 100), 0)
        + models.engagement_weight * greatest(least(coalesce(lead_points.engagement_points, 0), 100), 0)
        as decimal(18, 6)), 2) as decimal(18, 2)) end as total_score
from leads
cross join models
left join lead_points on leads.lead_id = lead_points.lead_id and models.model = lead_points.model
-- a model with a segment scores the leads in it only
left join sets_held as segments on models.segment = segments.condition_set and models.model = segments.model
    and leads.lead_id = segments.lead_id
where models.segment is null or segments.lead_id is not null
