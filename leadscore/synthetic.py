"""Synthetic raw data for the lead-scoring project, generated inside DuckDB.

Writes raw.leads, raw.events and raw.conversions (the input contract) plus raw._generator_info
(a marker saying the tables are synthetic) into a DuckDB file. Everything is computed in SQL
from hash-based pseudo-random numbers, so the output is deterministic for a seed (and a DuckDB
version) and 1,000,000 leads with ~50,000,000 events take minutes on two cores.

What is in it:
- personas whose fit and engagement differ (enterprise buyers, mid-market managers, small
  business owners, practitioners, students, job seekers, competitors, internal staff, spammers,
  tire kickers), with personal, education, disposable, competitor and internal mail domains and
  spam-like names (no capitals, keyboard runs, invalid emails);
- every event type of the vocabulary, with details (pricing/careers pages, newsletter/promo
  emails, demo-request forms, ...), recency driven by a hidden per-lead interest, and ~1% of
  events after the as-of time (point-in-time tests);
- superseded lead versions (~3% of leads have an older version);
- conversions drawn from a hidden propensity that depends on fit and recent engagement, an
  exponential delay (mean 150 days) after the lead was created;
- a sales team (raw.owners: teams, regions, an inactive owner, capacities) and what it did:
  raw.sales_outcomes (accepted, rejected, opportunity, won, lost: every converter was accepted,
  became an opportunity and was won; a share of good-fit leads was accepted and then rejected,
  lost or left open) and raw.sales_activities (calls, emails, meetings around those outcomes);
- a configurable share of bad rows of every quarantine kind.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from leadscore import warehouse
from leadscore.personas import (
    PERSONAS,
    EVENT_POOLS,
    FIRST_NAMES,
    LAST_NAMES,
    COMPANY_PREFIX,
    COMPANY_SUFFIX,
    PERSONAL_DOMAINS,
    EDUCATION_DOMAINS,
    TARGET_COUNTRIES,
    OTHER_COUNTRIES,
    INDUSTRIES_TARGET,
    INDUSTRIES_OTHER,
)

STEPS = ("leads", "events", "conversions", "sales", "bad rows")

# the sales team: owner_id, team, region, active, capacity (text, as a CSV upload delivers them)
OWNERS = [
    ("O01", "enterprise", "amer", "true", "1"), ("O02", "enterprise", "emea", "true", "1"),
    ("O03", "enterprise", "emea", "true", "1"), ("O04", "midmarket", "amer", "true", "1"),
    ("O05", "midmarket", "emea", "true", "1"), ("O06", "midmarket", "emea", "TRUE", None),
    ("O07", "midmarket", "amer", "false", "1"), ("O08", "smb", "amer", "true", "2"),
    ("O09", "smb", "emea", "yes", "1"), ("O10", "smb", "emea", "true", "1"),
    ("O11", "inbound", "amer", "true", "1"), ("O12", "inbound", "emea", "true", "1"),
]
ACTIVITY_TYPES = ["call", "email", "meeting", "linkedin_message"]


def sql_text(value) -> str:
    """A constant of this module as a DuckDB string literal (quotes doubled)."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_list(values) -> str:
    return "[" + ", ".join("NULL" if v is None else sql_text(v) for v in values) + "]"


def generate(con: duckdb.DuckDBPyConnection, leads: int, seed: int, bad_rate: float, as_of: dt.datetime,
             history_days: int = 365, progress=None, memory: dict | None = None) -> dict:
    """Create the raw tables in the connected database. Returns row counts. memory: DuckDB
    settings of warehouse.MEMORY_SETTINGS to generate under, those of the dbt profile's
    target; without them a 6GB limit."""
    if leads < 1 or not 0 <= bad_rate <= 0.5:
        raise ValueError("leads must be at least 1 and bad_rate between 0 and 0.5")
    step = progress or (lambda label: None)
    as_of_sql = f"timestamp '{as_of:%Y-%m-%d %H:%M:%S}'"

    # r(k) is a pseudo-random number in [0, 1) from the seed, the row key and a salt k.
    def r(key: str, salt: int) -> str:
        return f"((hash({seed}, {key}, {salt}) % 1000003) / 1000003.0)"

    # keep the footprint bounded on small machines: DuckDB spills to disk past the limit, and
    # row order is not part of the contract
    for name, value in (memory or {"memory_limit": "6GB"}).items():
        if name not in warehouse.MEMORY_SETTINGS:
            raise ValueError(f"not a memory setting: {name}")
        con.execute(f"set {name} = " + sql_text(value))
    con.execute("set preserve_insertion_order = false")
    con.execute("create schema if not exists raw")
    persona_rows = []
    cumulative = 0.0
    for name, share, fit, mean_events, skew, bias in PERSONAS:
        pool = []
        weights = EVENT_POOLS[name]
        total = sum(w for _, _, w in weights)
        for event_type, detail, weight in weights:
            pool += [f"{event_type}:{detail or ''}"] * max(1, round(200 * weight / total))
        persona_rows.append(
            f"('{name}', {cumulative}, {cumulative + share}, {fit}, {mean_events}, {skew}, {bias}, {sql_list(pool)})")
        cumulative += share
    con.execute("create or replace temp table personas (persona varchar, lo double, hi double, fit double, "
                "mean_events double, skew double, bias double, pool varchar[])")
    con.execute("insert into personas values " + ", ".join(persona_rows))

    step("leads")
    con.execute(f"""
        create or replace temp table gen_leads as
        with base as (
            select range as n, {r('range', 1)} as r_persona, {r('range', 2)} as interest
            from range({leads})
        ),
        typed as (
            select base.*, p.persona, p.fit, p.mean_events, p.skew, p.bias, p.pool
            from base join personas p on base.r_persona >= p.lo and base.r_persona < p.hi
        )
        select
            n,
            persona,
            fit,
            interest,
            skew,
            bias,
            pool,
            'L' || lpad(cast(n as varchar), 8, '0') as lead_id,
            cast(floor(n / 7) as bigint) as account_n,
            {sql_list(FIRST_NAMES)}[1 + cast(floor({r('n', 3)} * {len(FIRST_NAMES)}) as int)] as first_name_clean,
            {sql_list(LAST_NAMES)}[1 + cast(floor({r('n', 4)} * {len(LAST_NAMES)}) as int)] as last_name_clean,
            {sql_list(COMPANY_PREFIX)}[1 + cast(floor(n / 7) % {len(COMPANY_PREFIX)} as int)] || ' '
                || {sql_list(COMPANY_SUFFIX)}[1 + cast(floor(n / 7 / {len(COMPANY_PREFIX)}) % {len(COMPANY_SUFFIX)} as int)]
                || case when n / 7 >= 200 then ' ' || cast(cast(floor(n / 1400) as bigint) as varchar) else '' end
                as company_clean,
            -- events: mean by persona, scaled by interest
            cast(floor(mean_events * (0.2 + 1.6 * interest) * (0.5 + {r('n', 5)})) as int) as n_events,
            {r('n', 6)} as r_email,
            {r('n', 7)} as r_size,
            {r('n', 8)} as r_country,
            {r('n', 9)} as r_misc,
            {r('n', 10)} as r_created,
            {r('n', 11)} as r_convert,
            {r('n', 12)} as r_optional
        from typed
    """)
    con.execute(f"""
        create or replace temp table gen_leads2 as
        select
            *,
            {as_of_sql} - to_seconds(cast(floor(r_created * {history_days} * 86400) as bigint)) as created_ts,
            lower(regexp_replace(company_clean, '[^A-Za-z0-9]', '', 'g')) || '.com' as company_domain
        from gen_leads
    """)
    con.execute(f"""
        create or replace table raw.leads as
        with shaped as (
            select
                n,
                lead_id,
                case when persona in ('student', 'job_seeker', 'spammer') then null
                     else 'A' || lpad(cast(account_n as varchar), 7, '0') end as account_id,
                case persona
                    when 'spammer' then case when r_misc < 0.5 then 'asdf' else lower(first_name_clean) end
                    when 'tire_kicker' then case when r_misc < 0.2 then lower(first_name_clean) else first_name_clean end
                    else first_name_clean end as first_name,
                case persona
                    when 'spammer' then case when r_misc < 0.3 then 'qwerty' when r_misc < 0.6 then 'azerty' else lower(last_name_clean) end
                    else last_name_clean end as last_name,
                case persona
                    when 'student' then {sql_list(EDUCATION_DOMAINS)}[1 + cast(floor(r_email * {len(EDUCATION_DOMAINS)}) as int)]
                    when 'job_seeker' then {sql_list(PERSONAL_DOMAINS)}[1 + cast(floor(r_email * {len(PERSONAL_DOMAINS)}) as int)]
                    when 'competitor' then case when r_email < 0.5 then 'rivalscore.com' else 'scorely.io' end
                    when 'internal' then 'acmescore.io'
                    when 'spammer' then case when r_email < 0.4 then 'mailinator.com' when r_email < 0.7 then 'yopmail.com' else 'invalid' end
                    else case when r_email < 0.12 + 0.3 * (1 - fit) then
                            {sql_list(PERSONAL_DOMAINS)}[1 + cast(floor(r_misc * {len(PERSONAL_DOMAINS)}) as int)]
                         else company_domain end
                end as mail_domain,
                case when persona in ('student', 'job_seeker', 'spammer') then
                        case when persona = 'spammer' and r_misc < 0.5 then 'Sdfg Ltd' else null end
                     else company_clean end as company,
                case persona
                    when 'enterprise_buyer' then case when r_misc < 0.3 then 'Chief Operating Officer' when r_misc < 0.6 then 'VP Sales' when r_misc < 0.8 then 'Head of Procurement' else 'Director of Marketing' end
                    when 'midmarket_manager' then case when r_misc < 0.5 then 'Marketing Manager' else 'Operations Manager' end
                    when 'smb_owner' then 'Owner'
                    when 'practitioner' then case when r_misc < 0.5 then 'Data Analyst' else 'Software Engineer' end
                    when 'student' then 'Student'
                    when 'job_seeker' then case when r_misc < 0.5 then 'Job Seeker' else 'Unemployed' end
                    when 'competitor' then 'Product Manager'
                    when 'internal' then 'Account Executive'
                    when 'spammer' then case when r_misc < 0.5 then 'asdf' else null end
                    else case when r_misc < 0.5 then 'Intern' else null end
                end as job_title,
                case persona
                    when 'enterprise_buyer' then case when r_misc < 0.6 then (case when r_misc < 0.3 then 'c_level' else 'vp' end) else 'director' end
                    when 'midmarket_manager' then 'manager'
                    when 'smb_owner' then 'owner'
                    when 'practitioner' then 'individual_contributor'
                    when 'student' then 'intern'
                    when 'competitor' then 'manager'
                    when 'internal' then 'individual_contributor'
                    when 'tire_kicker' then case when r_misc < 0.5 then 'junior' else null end
                    else null
                end as seniority,
                case persona
                    when 'enterprise_buyer' then case when r_misc < 0.5 then 'operations' else 'sales' end
                    when 'midmarket_manager' then case when r_misc < 0.5 then 'marketing' else 'operations' end
                    when 'smb_owner' then 'management'
                    when 'practitioner' then case when r_misc < 0.5 then 'it' else 'engineering' end
                    when 'competitor' then 'product'
                    when 'internal' then 'sales'
                    when 'tire_kicker' then case when r_misc < 0.3 then 'hr' when r_misc < 0.5 then 'legal' else null end
                    else null
                end as department,
                case when persona in ('student', 'job_seeker', 'spammer') then null
                     when r_size < 0.6 * fit + 0.2 then {sql_list(INDUSTRIES_TARGET)}[1 + cast(floor(r_misc * {len(INDUSTRIES_TARGET)}) as int)]
                     else {sql_list(INDUSTRIES_OTHER)}[1 + cast(floor(r_misc * {len(INDUSTRIES_OTHER)}) as int)] end as industry,
                case when persona in ('student', 'job_seeker', 'spammer') or r_optional < 0.1 then null
                     when persona = 'enterprise_buyer' then cast(cast(1000 + floor(r_size * 20000) as bigint) as varchar)
                     when persona = 'midmarket_manager' then cast(cast(200 + floor(r_size * 800) as bigint) as varchar)
                     when persona = 'smb_owner' then cast(cast(1 + floor(r_size * 40) as bigint) as varchar)
                     else cast(cast(5 + floor(r_size * 3000) as bigint) as varchar) end as employees,
                case when persona in ('student', 'job_seeker', 'spammer') or r_optional < 0.3 then null
                     when persona = 'enterprise_buyer' then cast(cast(50000000 + floor(r_size * 900000000) as bigint) as varchar)
                     when persona = 'midmarket_manager' then cast(cast(10000000 + floor(r_size * 40000000) as bigint) as varchar)
                     else cast(cast(100000 + floor(r_size * 5000000) as bigint) as varchar) end as annual_revenue,
                case when r_country < 0.55 + 0.4 * fit then {sql_list(TARGET_COUNTRIES)}[1 + cast(floor(r_misc * {len(TARGET_COUNTRIES)}) as int)]
                     else {sql_list(OTHER_COUNTRIES)}[1 + cast(floor(r_misc * {len(OTHER_COUNTRIES)}) as int)] end as country,
                case when r_optional < 0.5 then null else 'Region ' || cast(cast(floor(r_country * 9) as int) as varchar) end as region,
                case when r_optional < 0.25 then null else 'City ' || cast(cast(floor(r_size * 50) as int) as varchar) end as city,
                case when r_optional < 0.4 then null else '+31 6 ' || lpad(cast(n % 100000000 as varchar), 8, '0') end as phone,
                case when r_misc < 0.3 then 'organic' when r_misc < 0.55 then 'paid_search' when r_misc < 0.75 then 'webinar'
                     when r_misc < 0.9 then 'referral' else 'event' end as lead_source,
                created_ts
            from gen_leads2
        )
        select
            lead_id,
            account_id,
            case when mail_domain = 'invalid' then lower(first_name) || ' at example'
                 else lower(replace(first_name, ' ', '')) || '.' || lower(replace(replace(last_name, ' ', ''), 'ü', 'u')) || '@' || mail_domain
            end as email,
            first_name, last_name, company, job_title, seniority, department, industry,
            employees, annual_revenue, country, region, city, phone, lead_source,
            strftime(created_ts, '%Y-%m-%d %H:%M:%S') as created_at,
            strftime(created_ts + to_seconds(cast(floor({r('n', 13)} * 86400 * 20) as bigint)), '%Y-%m-%d %H:%M:%S') as updated_at
        from shaped
    """)
    # superseded versions: an older copy of ~3% of leads with a stale title and updated_at
    con.execute(f"""
        insert into raw.leads
        select lead_id, account_id, email, first_name, last_name, company, 'Old ' || coalesce(job_title, 'title'),
               seniority, department, industry, employees, annual_revenue, country, region, city, phone, lead_source,
               created_at, created_at
        from raw.leads
        where {r('lead_id', 14)} < 0.03
    """)

    step("events")
    con.execute(f"""
        create or replace table raw.events as
        with expanded as (
            select
                l.n, l.lead_id, l.pool, l.skew, l.created_ts, i.range as i,
                {r('l.n * 1000 + i.range', 20)} as r_type,
                {r('l.n * 1000 + i.range', 21)} as r_time,
                {r('l.n * 1000 + i.range', 22)} as r_future,
                {r('l.n * 1000 + i.range', 23)} as r_lag
            from gen_leads2 l, range(l.n_events) i
        ),
        picked as (
            select
                *,
                pool[1 + cast(floor(r_type * len(pool)) as int)] as type_detail,
                epoch({as_of_sql}) - epoch(created_ts) as lifetime_s
            from expanded
        )
        , timed as (
            select
                'E' || lpad(cast(n as varchar), 8, '0') || '-' || lpad(cast(i as varchar), 4, '0') as event_id,
                lead_id,
                split_part(type_detail, ':', 1) as event_type,
                nullif(split_part(type_detail, ':', 2), '') as event_detail,
                case when r_future < 0.01
                    then {as_of_sql} + to_seconds(cast(floor(r_time * 30 * 86400) as bigint))
                    else {as_of_sql} - to_seconds(cast(floor(lifetime_s * pow(r_time, skew)) as bigint))
                end as occurred_at,
                r_lag
            from picked
        )
        -- loaded_at: when the EL tool delivered the row, up to 6 hours after it happened
        select
            event_id, lead_id, event_type, event_detail, occurred_at,
            occurred_at + to_seconds(cast(floor(r_lag * 6 * 3600) as bigint)) as loaded_at
        from timed
    """)

    step("conversions")
    con.execute(f"""
        create or replace table raw.conversions as
        with propensity as (
            select
                n, lead_id, created_ts, interest, fit, bias,
                1 / (1 + exp(-(-5.4 + 3.0 * fit + 2.5 * interest + bias))) as p
            from gen_leads2
        ),
        timed as (
            -- a converter converts an exponential delay (mean 150 days) after it was created, so
            -- the chance of converting in the next 90 days does not depend on when one looks;
            -- conversions after the end of the history have not happened yet
            select
                *,
                created_ts + to_seconds(cast(floor(-ln(1 - {r('n', 30)}) * 150 * 86400) as bigint)) as converted_ts
            from propensity
            where {r('n', 32)} < p
        )
        -- text columns, as a CRM export would deliver them
        select
            lead_id,
            strftime(converted_ts, '%Y-%m-%d %H:%M:%S') as converted_at,
            cast(round(case when fit > 0.8 then 40000 when fit > 0.6 then 15000 else 4000 end
                * (0.5 + {r('n', 31)}), 2) as varchar) as deal_value
        from timed
        where converted_ts <= {as_of_sql}
    """)

    step("sales")
    generate_sales(con, leads, bad_rate, as_of_sql, r)

    step("bad rows")
    n_bad_leads = int(round(leads * bad_rate))
    if n_bad_leads:
        lead_kinds = ["missing_lead_id", "negative_employees", "unparseable_employees", "negative_annual_revenue",
                      "unparseable_annual_revenue", "unparseable_created_at", "implausible_created_at"]
        con.execute(f"""
            insert into raw.leads
            select
                case when k = 0 then case when n % 2 = 0 then null else '   ' end else 'BAD' || lpad(cast(n as varchar), 8, '0') end,
                null, 'bad' || cast(n as varchar) || '@gmail.com', 'Bad', 'Row', 'Broken Co', null, null, null, null,
                case k when 1 then '-5' when 2 then 'lots' else '10' end,
                case k when 3 then '-1000' when 4 then '1,5M' else '100000' end,
                'NL', null, null, null, 'import',
                case k when 5 then 'yesterday' when 6 then '1970-01-01 00:00:00' else '2020-01-01 00:00:00' end,
                '2020-01-02 00:00:00'
            from (select range as n, range % {len(lead_kinds)} as k from range({n_bad_leads}))
        """)
    total_events = con.execute("select count(*) from raw.events").fetchone()[0]
    n_bad_events = int(round(total_events * bad_rate))
    if n_bad_events:
        event_kinds = 8
        con.execute(f"""
            insert into raw.events
            select
                case when k = 0 then null else 'BADE' || lpad(cast(n as varchar), 9, '0') end,
                case when k = 1 then null when k = 5 then 'NO_SUCH_LEAD' else 'L' || lpad(cast(n % {leads} as varchar), 8, '0') end,
                case when k = 2 then ' ' else 'page_view' end,
                'home',
                case when k = 3 then null when k = 4 then timestamp '1985-06-01 00:00:00'
                     else {as_of_sql} - interval 10 day end,
                case when k = 7 then null else {as_of_sql} - interval 9 day end
            from (select range as n, range % {event_kinds} as k from range({n_bad_events}))
            where k <> 6
        """)
        # k = 6: duplicate event_ids, a later copy of an existing event (the earliest copy is kept)
        con.execute(f"""
            insert into raw.events
            select event_id, lead_id, event_type, event_detail, occurred_at + interval 1 hour, loaded_at + interval 1 day
            from raw.events
            where event_id like 'E%' and {r('event_id', 40)} < {n_bad_events / event_kinds / max(total_events, 1)}
        """)
    n_conversions = con.execute("select count(*) from raw.conversions").fetchone()[0]
    n_bad_conversions = int(round(n_conversions * bad_rate))
    if n_bad_conversions:
        conversion_kinds = ["missing_lead_id", "missing_converted_at", "unparseable_converted_at",
                            "implausible_converted_at", "unparseable_deal_value", "negative_deal_value", "unknown_lead"]
        con.execute(f"""
            insert into raw.conversions
            select
                case k when 0 then null when 6 then 'NO_SUCH_LEAD' else 'L' || lpad(cast(n % {leads} as varchar), 8, '0') end,
                case k when 1 then '' when 2 then 'last week' when 3 then '1980-02-01 00:00:00'
                     else strftime({as_of_sql} - interval 5 day, '%Y-%m-%d %H:%M:%S') end,
                case k when 4 then 'EUR 5k' when 5 then '-100' else '1000' end
            from (select range as n, range % {len(conversion_kinds)} as k from range({n_bad_conversions}))
        """)
    con.execute("create or replace table raw._generator_info as select "
                f"{leads} as leads, {seed} as seed, {bad_rate} as bad_rate, {as_of_sql} as as_of, now() as generated_at")
    counts = {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
              for t in ("leads", "events", "conversions", "sales_outcomes", "sales_activities", "owners")}
    for t in ("personas", "gen_leads", "gen_leads2", "gen_outcomes"):
        con.execute(f"drop table if exists {t}")
    return counts


def generate_sales(con: duckdb.DuckDBPyConnection, leads: int, bad_rate: float, as_of_sql: str, r) -> None:
    """raw.owners, raw.sales_outcomes and raw.sales_activities from the hidden fit and interest and
    the conversions already drawn; ~1% of outcomes and activities happen after the as-of time."""
    owner_rows = ", ".join("(" + ", ".join("NULL" if v is None else sql_text(v) for v in row) + ")" for row in OWNERS)
    con.execute("create or replace table raw.owners (owner_id varchar, team varchar, region varchar, active varchar, "
                "capacity varchar)")
    con.execute("insert into raw.owners values " + owner_rows)
    # people who left the team: inactive, kept by the CRM (and a realistic denominator for the bad
    # rows below)
    con.execute("""
        insert into raw.owners
        select 'X' || lpad(cast(range as varchar), 3, '0'),
               ['enterprise', 'midmarket', 'smb', 'inbound'][1 + range % 4], ['amer', 'emea'][1 + range % 2],
               'false', '1'
        from range(300)
    """)
    active = [row[0] for row in OWNERS if row[3].lower() in ("true", "yes")]
    owner_pick = f"{sql_list(active)}[1 + cast(floor({r('n', 50)} * {len(active)}) as int)]"
    # the path of each lead through sales, one row per outcome, timed between creation and the
    # conversion (converters) or the as-of time (the others)
    con.execute(f"""
        create or replace temp table gen_outcomes as
        with converted as (
            select lead_id, min(cast(converted_at as timestamp)) as converted_ts
            from raw.conversions group by lead_id
        ),
        paths as (
            select
                l.n, l.lead_id, l.created_ts, c.converted_ts, {owner_pick} as owner_id,
                {r('n', 51)} as r1, {r('n', 52)} as r2, {r('n', 53)} as r3,
                case when c.converted_ts is not null then 'won'
                     when l.fit >= 0.5 and {r('n', 54)} < 0.25 * l.interest then
                        case when {r('n', 55)} < 0.4 then 'rejected' when {r('n', 55)} < 0.7 then 'lost' else 'open' end
                end as path
            from gen_leads2 l
            left join converted c on l.lead_id = c.lead_id
        ),
        timed as (
            select
                *,
                created_ts + to_seconds(cast(floor(epoch(coalesce(converted_ts, {as_of_sql} + interval 20 day) - created_ts)
                    * (0.3 + 0.2 * r1)) as bigint)) as accepted_ts
            from paths
            where path is not null
        )
        select n, lead_id, owner_id, 'accepted' as status, accepted_ts as occurred_ts, null as reason from timed
        union all
        select n, lead_id, owner_id, 'rejected', accepted_ts + to_seconds(cast(floor(r2 * 5 * 86400) as bigint)),
            case when r3 < 0.4 then 'bad timing' when r3 < 0.7 then 'no budget' else 'wrong contact' end
        from timed where path = 'rejected'
        union all
        select n, lead_id, owner_id, 'opportunity',
            case when path = 'won' then accepted_ts + to_seconds(cast(floor(epoch(converted_ts - accepted_ts) * (0.3 + 0.4 * r2)) as bigint))
                 else accepted_ts + to_seconds(cast(floor(r2 * 10 * 86400) as bigint)) end,
            null
        from timed where path in ('won', 'lost')
        union all
        select n, lead_id, owner_id, 'won', converted_ts, null from timed where path = 'won'
        union all
        select n, lead_id, owner_id, 'lost', accepted_ts + to_seconds(cast(floor((10 + r3 * 30) * 86400) as bigint)),
            case when r3 < 0.5 then 'price' else 'competitor' end
        from timed where path = 'lost'
    """)
    # text columns, as a CRM export delivers them; a few statuses in another case or padded
    con.execute(f"""
        create or replace table raw.sales_outcomes as
        select
            lead_id,
            case when {r('n * 10 + length(status)', 56)} < 0.02 then ' ' || upper(status) else status end as status,
            reason,
            owner_id,
            strftime(occurred_ts, '%Y-%m-%d %H:%M:%S') as occurred_at
        from gen_outcomes
        where occurred_ts <= {as_of_sql} + interval 30 day
    """)
    # sales touches: a first call or email before the lead was accepted (within two days), then up
    # to three more; typed columns, as an EL tool loads them
    con.execute(f"""
        create or replace table raw.sales_activities as
        with firsts as (
            select n, lead_id, owner_id, occurred_ts as accepted_ts
            from gen_outcomes where status = 'accepted'
        ),
        touches as (
            select
                f.n, f.lead_id, f.owner_id, i.range as i,
                case when i.range = 0 then f.accepted_ts - to_seconds(cast(floor({r('f.n * 10 + i.range', 57)} * 48 * 3600) as bigint))
                     else f.accepted_ts + to_seconds(cast(floor({r('f.n * 10 + i.range', 57)} * 20 * 86400) as bigint)) end
                    as occurred_at,
                {sql_list(ACTIVITY_TYPES)}[1 + cast(floor({r('f.n * 10 + i.range', 58)} * {len(ACTIVITY_TYPES)}) as int)]
                    as activity_type,
                {r('f.n * 10 + i.range', 59)} as r_lag
            from firsts f, range(1 + cast(floor({r('f.n', 60)} * 4) as int)) i
        )
        select
            'SA' || lpad(cast(n as varchar), 8, '0') || '-' || cast(i as varchar) as activity_id,
            lead_id,
            owner_id,
            case when i = 0 then case when r_lag < 0.5 then 'call' else 'email' end else activity_type end as activity_type,
            occurred_at,
            occurred_at + to_seconds(cast(floor(r_lag * 3600) as bigint)) as loaded_at
        from touches
        where occurred_at <= {as_of_sql} + interval 30 day
    """)
    if not bad_rate:
        return
    # bad rows in proportion, of each kind in turn (every kind once there are enough rows)
    n_outcomes = con.execute("select count(*) from raw.sales_outcomes").fetchone()[0]
    n_bad = int(round(n_outcomes * bad_rate))
    # missing_lead_id, unknown_lead, missing_status, unknown_status, missing_occurred_at,
    # unparseable_occurred_at, implausible_occurred_at, unknown_owner
    con.execute(f"""
        insert into raw.sales_outcomes
        select
            case k when 0 then null when 1 then 'NO_SUCH_LEAD' else 'L' || lpad(cast(n % {leads} as varchar), 8, '0') end,
            case k when 2 then ' ' when 3 then 'maybe' else 'accepted' end,
            null,
            case k when 7 then 'O99' else 'O01' end,
            case k when 4 then null when 5 then 'soon' when 6 then '1970-01-01 00:00:00'
                 else strftime({as_of_sql} - interval 3 day, '%Y-%m-%d %H:%M:%S') end
        from (select range as n, range % 8 as k from range({n_bad}))
    """)
    n_activities = con.execute("select count(*) from raw.sales_activities").fetchone()[0]
    n_bad = int(round(n_activities * bad_rate))
    # missing_activity_id, missing_lead_id, unknown_lead, missing_activity_type, missing_occurred_at,
    # implausible_occurred_at, unknown_owner; then duplicate_activity_id (a later copy)
    con.execute(f"""
        insert into raw.sales_activities
        select
            case when k = 0 then null else 'BADA' || lpad(cast(n as varchar), 8, '0') end,
            case k when 1 then null when 2 then 'NO_SUCH_LEAD' else 'L' || lpad(cast(n % {leads} as varchar), 8, '0') end,
            case k when 6 then 'O99' else 'O02' end,
            case k when 3 then ' ' else 'call' end,
            case k when 4 then null when 5 then timestamp '1985-06-01 00:00:00' else {as_of_sql} - interval 2 day end,
            {as_of_sql} - interval 1 day
        from (select range as n, range % 7 as k from range({n_bad}))
    """)
    con.execute(f"""
        insert into raw.sales_activities
        select activity_id, lead_id, owner_id, activity_type, occurred_at + interval 1 hour, loaded_at + interval 1 day
        from raw.sales_activities
        where activity_id like 'SA%' and {r('activity_id', 61)} < {bad_rate / 7}
    """)
    # missing_owner_id, missing_team, unparseable_active, unparseable_capacity, negative_capacity,
    # duplicate_owner_id
    con.execute("""
        insert into raw.owners values
            (null, 'smb', 'amer', 'true', '1'), ('O13', ' ', 'emea', 'true', '1'),
            ('O14', 'smb', 'amer', 'maybe', '1'), ('O15', 'smb', 'amer', 'true', 'lots'),
            ('O16', 'smb', 'amer', 'true', '-1'), ('O01', 'enterprise', 'amer', 'true', '1')
    """)


def raw_tables_present(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute("select table_name from information_schema.tables where table_schema = 'raw' "
                       "and table_name in ('leads', 'events', 'conversions')").fetchall()
    return sorted(r[0] for r in rows)


def is_generated(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = 'raw' "
                            "and table_name = '_generator_info'").fetchone()[0])
