{#- lead_score_sync pivoted for a CRM that keeps one score field per model on the lead record: one
    row per lead, one set of columns per model of seeds/scoring_models.csv (<model>__total_score,
    __score_band, __fit_grade, __engagement_grade, __is_mql, __is_disqualified, __top_reasons,
    __deleted), as last synced. updated_at is the newest of the lead's rows, so it moves only
    when one of them changed; deleted is true when every model's row is deleted. A view on
    lead_score_sync: a reverse-ETL tool keys on lead_id and reads the rows with updated_at after
    its watermark (docs/outputs.md). The models are read from the seed when the view is built. A
    view: it costs nothing to keep, and it is never out of step with lead_score_sync. -#}
{{ config(materialized='view') }}
{%- set sync_fields = ['total_score', 'fit_score', 'engagement_score', 'score_band', 'fit_grade',
    'engagement_grade', 'is_mql', 'is_disqualified', 'top_reasons', 'deleted'] %}
{%- set flag_fields = ['is_mql', 'is_disqualified', 'deleted'] %}
{#- (model name, column prefix): the prefix is the name in lower case with every character but
    a-z, 0-9 and _ replaced by _ (a leading digit or a blank gets model_ before it, a prefix taken
    already a number after it), so any model name is data here: values are compared as quoted
    strings, and only the prefix, made of those characters, names a column. -#}
{%- set models = [] %}
{%- set prefixes = [] %}
{%- set models_relation = ref('stg_scoring_config__models') %}
{%- if execute %}
    {%- for row in run_query('select distinct model from ' ~ models_relation
        ~ ' where model is not null order by model').rows %}
        {%- set prefix = modules.re.sub('[^a-z0-9_]', '_', row[0] | lower)[:40] %}
        {%- if not modules.re.match('[a-z_]', prefix) %}
            {%- set prefix = 'model_' ~ prefix %}
        {%- endif %}
        {%- set taken = namespace(prefix=prefix) %}
        {#- with k prefixes taken, one of prefix, prefix_2 .. prefix_(k+2) is free -#}
        {%- for n in range(2, prefixes | length + 3) %}
            {%- if taken.prefix in prefixes %}
                {%- set taken.prefix = prefix ~ '_' ~ n %}
            {%- endif %}
        {%- endfor %}
        {%- do prefixes.append(taken.prefix) %}
        {%- do models.append((row[0], taken.prefix)) %}
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
        {%- for model_name, prefix in models %}
            {%- for field in sync_fields %}
                {%- if field in flag_fields %}
                    -- flags through 1 / 0: max() of a boolean is not portable
                    max(case when model = {{ sql_string(model_name) }} then (case when {{ field }} then 1 else 0 end) end) = 1
                        as {{ prefix }}__{{ field }},
                {%- else %}
                    max(case when model = {{ sql_string(model_name) }} then {{ field }} end) as {{ prefix }}__{{ field }},
                {%- endif %}
            {%- endfor %}
        {%- endfor %}
        min(case when coalesce(deleted, false) then 1 else 0 end) = 1 as deleted,
        max(updated_at) as updated_at
    from synced
    group by lead_id

)

select * from final
