{#- The contract a reverse-ETL tool reads: one row per (lead, model) with a stable sync_key and the
    CRM-facing fields only (ids, scores, labels, flags; lead columns only when listed in var
    sync_extra_columns, which turn off the fixed columns' contract). updated_at moves only when a
    synced field changed: total_score moved by at least var sync_score_step since the last synced
    value, or the band, a grade, the MQL flag, the disqualification or an extra column changed. A
    row that did not change keeps its last synced values, so an export of "updated_at > watermark"
    sends only real changes. top_reasons (the three strongest positive reasons in words) is sent
    with a change, never a change itself. A (lead, model) that leaves the scored population (the
    lead was deleted or quarantined, or the model removed) keeps its last values with deleted =
    true, once, at the run that found it gone; it comes back as a change if it returns. Incremental
    (delete+insert of the changed rows only); on Spark a state_table that keeps the unchanged rows
    as stored (state_rows). Written last, after every other output of the run was built and tested
    (the depends_on below): a build that fails anywhere gives the CRM nothing new. -#}
-- depends_on: {{ ref('account_scores') }}, {{ ref('lead_lifecycle_events') }}, {{ ref('lead_actions') }}
-- depends_on: {{ ref('mql_sla_daily') }}, {{ ref('lead_score_reasons') }}
{{ config(
    contract={'enforced': not project_var('sync_extra_columns')},
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['lead_id', 'model'],
    on_schema_change='append_new_columns',
) }}
{%- set extra_columns = project_var('sync_extra_columns') %}
{%- set sync_columns = ['sync_key', 'lead_id', 'model', 'total_score', 'fit_score', 'engagement_score',
    'fit_grade', 'engagement_grade', 'score_matrix', 'score_band', 'is_mql', 'is_disqualified',
    'disqualification_reasons', 'first_mql_at'] + extra_columns + ['scored_at', 'top_reasons'] %}
{%- set label_columns = ['fit_grade', 'engagement_grade', 'score_band', 'is_mql', 'is_disqualified',
    'disqualification_reasons'] + extra_columns %}
{%- set sends_changes_only = is_incremental() or state_is_incremental() %}

-- sqlfluff:indentation:template_blocks_indent:False
-- (CTEs switched on and off by if-blocks stay at the CTE level)
with

scores as (

    select * from {{ ref('lead_scores') }}

),

contributions as (

    select * from {{ ref('int_lead_rule_contributions') }}

),

rules as (

    select * from {{ ref('int_scoring_rules') }}

),

{%- if extra_columns %}

lead_columns as (

    select
        lead_id,
        {%- for c in extra_columns %}
        {{ c }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('stg_raw__leads') }}

),

{%- endif %}

current_rows as (

    select
        {{ dbt.hash(dbt.concat(['scores.lead_id', "'|'", 'scores.model'])) }} as sync_key,
        scores.lead_id,
        scores.model,
        scores.total_score,
        scores.fit_score,
        scores.engagement_score,
        scores.fit_grade,
        scores.engagement_grade,
        scores.score_matrix,
        scores.score_band,
        scores.is_mql,
        scores.is_disqualified,
        scores.disqualification_reasons,
        scores.first_mql_at,
        {%- for c in extra_columns %}
        lead_columns.{{ c }},
        {%- endfor %}
        scores.scored_at
    from scores
    {%- if extra_columns %}
    left join lead_columns
        on scores.lead_id = lead_columns.lead_id
    {%- endif %}

),

{%- if sends_changes_only %}
{%- set stored_columns = ['top_reasons', 'deleted'] if not execute or model.resource_type == 'unit_test' else
    adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list %}

previous as (

    -- a table synced before top_reasons and deleted existed lacks them until this run appends
    -- them (on_schema_change): they read as null, i.e. not deleted
    select
        {%- for c in sync_columns + ['deleted'] %}
        {%- if c in ('top_reasons', 'deleted') and c not in stored_columns %}
        cast(null as {{ dbt.type_string() if c == 'top_reasons' else dbt.type_boolean() }}) as {{ c }}
        {%- else %}
        {{ c }}
        {%- endif %}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ this }}

),

changed as (

    select current_rows.*
    from current_rows
    left join previous
        on current_rows.lead_id = previous.lead_id
            and current_rows.model = previous.model
    where previous.lead_id is null
        or coalesce(previous.deleted, false)
        or abs(current_rows.total_score - previous.total_score) >= {{ project_var('sync_score_step') }}
        {%- for c in label_columns %}
        or coalesce(cast(current_rows.{{ c }} as {{ dbt.type_string() }}), '~')
        <> coalesce(cast(previous.{{ c }} as {{ dbt.type_string() }}), '~')
        {%- endfor %}

),

departed as (

    -- synced rows no longer scored, flagged once
    select
        {%- for c in sync_columns %}
        previous.{{ c }},
        {%- endfor %}
        true as deleted
    from previous
    left join current_rows
        on previous.lead_id = current_rows.lead_id
            and previous.model = current_rows.model
    where current_rows.lead_id is null
        and not coalesce(previous.deleted, false)

),

{%- endif %}

to_send as (

    select * from {{ 'changed' if sends_changes_only else 'current_rows' }}

),

rule_ordinals as (

    -- each rule's place in its model by rule_id: with the points, one integer orders the rules
    select
        model,
        rule_id,
        description,
        cast(
            row_number() over (partition by model order by rule_id) as {{ dbt.type_bigint() }}
        ) as rule_ordinal
    from rules

),

strongest_keys as (

    -- the three largest positive rule rows of each (lead, model) sent (the changed ones; on a full
    -- build all, with no join), by points as lead_score_reasons rounds them, then rule_id: a
    -- bigint per row, cents * 2^20 + ordinal
    select
        contributions.lead_id,
        contributions.model,
        {{ top_n('cast(' ~ round_points('contributions.contribution') ~ ' * 100 as ' ~ dbt.type_bigint()
            ~ ') * 1048576 + rule_ordinals.rule_ordinal', 3) }} as strongest
    from contributions
    inner join rule_ordinals
        on contributions.model = rule_ordinals.model
            and contributions.rule_id = rule_ordinals.rule_id
    {%- if sends_changes_only %}
    inner join to_send
        on contributions.lead_id = to_send.lead_id
            and contributions.model = to_send.model
    {%- endif %}
    where {{ round_points('contributions.contribution') }} > 0
    group by contributions.lead_id, contributions.model

),

top_reasons as (

    select
        strongest_keys.lead_id,
        strongest_keys.model,
        {{ reasons_text([('rule_1', list_element('strongest_keys.strongest', 1)),
            ('rule_2', list_element('strongest_keys.strongest', 2)),
            ('rule_3', list_element('strongest_keys.strongest', 3))]) }} as top_reasons
    from strongest_keys
    left join rule_ordinals as rule_1
        on strongest_keys.model = rule_1.model
            and {{ list_element('strongest_keys.strongest', 1) }} % 1048576 = rule_1.rule_ordinal
    left join rule_ordinals as rule_2
        on strongest_keys.model = rule_2.model
            and {{ list_element('strongest_keys.strongest', 2) }} % 1048576 = rule_2.rule_ordinal
    left join rule_ordinals as rule_3
        on strongest_keys.model = rule_3.model
            and {{ list_element('strongest_keys.strongest', 3) }} % 1048576 = rule_3.rule_ordinal

),

described as (

    select
        to_send.*,
        top_reasons.top_reasons,
        false as deleted
    from to_send
    left join top_reasons
        on to_send.lead_id = top_reasons.lead_id
            and to_send.model = top_reasons.model

),

sent as (

    select * from described
    {%- if sends_changes_only %}
    union all
    select * from departed
    {%- endif %}

),

final as (

    select
        *,
        {{ run_started_at_literal() }} as updated_at
    from sent

)

{{ state_rows(none) }}
