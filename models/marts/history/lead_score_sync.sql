{#- The contract a reverse-ETL tool reads, one row per (lead, model), as _history__models.yml
    describes it. Incremental: one full outer join of the scores and the stored rows, on the key and
    the compared fields only, finds the changed and the departed keys; only their rows are fetched,
    described (top_reasons) and written (delete+insert; on Spark a state_table keeping the other
    rows, state_rows). Written last, after every other output of the run was built and tested (the
    depends_on below): a build that fails anywhere gives the CRM nothing new. -#}
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
{%- set strongest = [] %}
{%- for i in [1, 2, 3] %}{% do strongest.append(('rule_' ~ i, list_element('strongest_keys.strongest', i))) %}{% endfor %}

-- sqlfluff:indentation:template_blocks_indent:False
-- (CTEs switched on and off by if-blocks stay at the CTE level)
with

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
        {{ extra_columns | join(', ') }}
    from {{ ref('stg_raw__leads') }}

),

{%- endif %}

current_rows as (

    select
        {{ dbt.hash(dbt.concat(['scores.lead_id', "'|'", 'scores.model'])) }} as sync_key,
        {%- for c in sync_columns[1:-1] %}
        {{ 'lead_columns.' if c in extra_columns else 'scores.' }}{{ c }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('lead_scores') }} as scores
    {%- if extra_columns %}
    left join lead_columns
        on scores.lead_id = lead_columns.lead_id
    {%- endif %}

),

{%- if sends_changes_only %}
{%- set stored_columns = sync_columns + ['deleted'] if not execute or model.resource_type == 'unit_test' else
    adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list %}
{#- a column the stored table lacks until this run appends it (on_schema_change: top_reasons, deleted,
    one just added to sync_extra_columns) reads as null - not deleted, or a change to send -#}
{%- set stored = {} %}
{%- for c in sync_columns + ['deleted'] %}
{%- set type = {'top_reasons': dbt.type_string(), 'deleted': dbt.type_boolean()}.get(c) %}
{%- do stored.update({c: 'synced.' ~ c if c | lower in stored_columns else 'cast(null as ' ~ type ~ ')' if type else 'null'}) %}
{%- endfor %}

scored_fields as (

    -- the key and the compared fields of the rows scored now, and of those synced before (the
    -- table read again, not current_rows: a CTE read twice is materialised whole on DuckDB)
    select
        scores.lead_id,
        scores.model,
        {%- for c in label_columns %}
        {{ 'lead_columns.' if c in extra_columns else 'scores.' }}{{ c }},
        {%- endfor %}
        scores.total_score
    from {{ ref('lead_scores') }} as scores
    {%- if extra_columns %}
    left join lead_columns
        on scores.lead_id = lead_columns.lead_id
    {%- endif %}

),

synced_fields as (

    select
        {%- for c in ['lead_id', 'model'] + label_columns + ['total_score'] %}
        {{ stored[c] }} as {{ c }},
        {%- endfor %}
        {{ stored.deleted }} as deleted
    from {{ this }} as synced

),

compared as (

    -- every (lead, model) scored now or synced before, in one join on narrow rows: the changed
    -- ones and the departed ones, whose rows are then fetched by key
    select
        coalesce(scored_fields.lead_id, synced_fields.lead_id) as lead_id,
        coalesce(scored_fields.model, synced_fields.model) as model,
        scored_fields.lead_id is null as is_departed
    from scored_fields
    full outer join synced_fields
        on scored_fields.lead_id = synced_fields.lead_id
            and scored_fields.model = synced_fields.model
    where (scored_fields.lead_id is null and not coalesce(synced_fields.deleted, false))
        or (scored_fields.lead_id is not null and (
            synced_fields.lead_id is null
            or coalesce(synced_fields.deleted, false)
            or abs(scored_fields.total_score - synced_fields.total_score) >= {{ project_var('sync_score_step') }}
            {%- for c in label_columns %}
            or coalesce(cast(scored_fields.{{ c }} as {{ dbt.type_string() }}), '~')
            <> coalesce(cast(synced_fields.{{ c }} as {{ dbt.type_string() }}), '~')
            {%- endfor %}
        ))

),

departed as (

    select
        {%- for c in sync_columns %}
        {{ stored[c] }} as {{ c }},
        {%- endfor %}
        true as deleted
    from {{ this }} as synced
    inner join compared
        on synced.lead_id = compared.lead_id
            and synced.model = compared.model
    where compared.is_departed

),

{%- endif %}

to_send as (

    -- every row on a full build, else the changed ones
    select current_rows.*
    from current_rows
    {% if sends_changes_only -%}
    inner join compared
        on current_rows.lead_id = compared.lead_id
            and current_rows.model = compared.model
    where not compared.is_departed
    {% endif %}

),

rule_ordinals as (

    -- each rule's place in its model by rule_id: with the points, one integer orders the rules
    select
        model,
        rule_id,
        description,
        cast(row_number() over (partition by model order by rule_id) as {{ dbt.type_bigint() }}) as rule_ordinal
    from rules

),

strongest_keys as (

    -- the three largest positive rule rows of each (lead, model) sent (the changed ones - on a full
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
        {{ reasons_text(strongest) }} as top_reasons
    from strongest_keys
    {% for i in [1, 2, 3] -%}
    left join rule_ordinals as rule_{{ i }}
        on strongest_keys.model = rule_{{ i }}.model
            and {{ list_element('strongest_keys.strongest', i) }} % 1048576 = rule_{{ i }}.rule_ordinal
    {% endfor %}

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

{{ state_rows(none, columns=sync_columns + ['deleted', 'updated_at']) }}
