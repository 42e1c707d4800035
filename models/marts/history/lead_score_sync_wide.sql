{#- lead_score_sync pivoted for a CRM that keeps one score field per model on the lead record: one
    row per lead, one set of columns per model of seeds/scoring_models.csv (<model>__total_score,
    __score_band, __fit_grade, __engagement_grade, __is_mql, __is_disqualified, __top_reasons,
    __deleted), as last synced. updated_at is the newest of the lead's rows, so it moves only
    when one of them changed; deleted is true when every model's row is deleted. A view on
    lead_score_sync: a reverse-ETL tool keys on lead_id and reads the rows with updated_at after
    its watermark (docs/outputs.md). The model names become column names: they are read from
    the seed when the view is built, and each must be a plain lower-case name (checked in
    int_scoring_config_errors, and here again before it is used). A view: it costs nothing to
    keep, and it is never out of step with lead_score_sync. -#}
{{ config(materialized='view') }}
{%- set sync_fields = ['total_score', 'fit_score', 'engagement_score', 'score_band', 'fit_grade',
    'engagement_grade', 'is_mql', 'is_disqualified', 'top_reasons', 'deleted'] %}
{%- set flag_fields = ['is_mql', 'is_disqualified', 'deleted'] %}
{%- set models = [] %}
{%- set models_relation = ref('stg_scoring_config__models') %}
{%- if execute %}
    {%- for row in run_query('select distinct model from ' ~ models_relation
        ~ ' where model is not null order by model').rows %}
        {%- if not modules.re.fullmatch('[a-z][a-z0-9_]{0,39}', row[0]) %}
            {{ exceptions.raise_compiler_error('seeds/scoring_models.csv: model ' ~ row[0] ~ ': the model name is not a '
                ~ 'plain lower-case name. Fix: rename it, e.g. b2b_default: it names columns of lead_score_sync_wide.') }}
        {%- endif %}
        {%- do models.append(row[0]) %}
    {%- endfor %}
{%- endif %}
{{ assert_valid_scoring_config() }}

with

synced as (

    select * from {{ ref('lead_score_sync') }}

),

final as (

    select
        lead_id,
        {%- for model_name in models %}
            {%- for field in sync_fields %}
                {%- if field in flag_fields %}
                    -- flags through 1 / 0: max() of a boolean is not portable
                    max(case when model = {{ sql_string(model_name) }} then (case when {{ field }} then 1 else 0 end) end) = 1
                        as {{ model_name }}__{{ field }},
                {%- else %}
                    max(case when model = {{ sql_string(model_name) }} then {{ field }} end) as {{ model_name }}__{{ field }},
                {%- endif %}
            {%- endfor %}
        {%- endfor %}
        min(case when coalesce(deleted, false) then 1 else 0 end) = 1 as deleted,
        max(updated_at) as updated_at
    from synced
    group by lead_id

)

select * from final
