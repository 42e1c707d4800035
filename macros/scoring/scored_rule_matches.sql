{#- The rows of a CTE of rule matches (lead_id, model, rule_id, ...) that score at T: those of a
    (lead, model) the model scores (int_lead_models) and, for a rule with only_if, of a lead whose
    condition set holds (int_lead_conditions). rules: a CTE with model, rule_id and only_if.
    Applied where the match tables are built, so the readers of int_lead_rule_contributions do
    not filter every match again. When the run starts, the seeds are read: with no segment, a
    model scores every lead as of T, so the (lead, model) join is one on lead_id with
    int_leads_as_of; with no only_if, the condition-set join is left out. Unit tests and parsing
    take the general SQL. filters_in_use: scoring_filters_in_use(), for a model that calls this
    more than once (read here when not given). -#}
{% macro scored_rule_matches(matches, rules, filters_in_use=none) %}
    {#- every relation is named here, outside the branches, so dbt records each dependency -#}
    {%- set lead_models = ref('int_lead_models') %}
    {%- set leads = ref('int_leads_as_of') %}
    {%- set lead_conditions = ref('int_lead_conditions') %}
    {%- set any_segment, any_only_if = filters_in_use if filters_in_use is not none else scoring_filters_in_use() %}
    select {{ matches }}.*
    from {{ matches }}
    {%- if any_segment %}
        inner join {{ lead_models }} as lead_models
            on {{ matches }}.lead_id = lead_models.lead_id
                and {{ matches }}.model = lead_models.model
    {%- else %}
        inner join {{ leads }} as leads
            on {{ matches }}.lead_id = leads.lead_id
    {%- endif %}
    {%- if any_only_if %}
        inner join {{ rules }}
            on {{ matches }}.model = {{ rules }}.model
                and {{ matches }}.rule_id = {{ rules }}.rule_id
        left join {{ lead_conditions }} as lead_conditions
            on {{ rules }}.only_if = lead_conditions.condition_set
                and {{ matches }}.model = lead_conditions.model
                and {{ matches }}.lead_id = lead_conditions.lead_id
        where {{ rules }}.only_if is null or lead_conditions.lead_id is not null
    {%- endif %}
{% endmacro %}

{#- [any model has a segment, any rule has only_if], read from the seeds while a model executes;
    [true, true] while parsing and in unit tests (the general SQL of scored_rule_matches). -#}
{% macro scoring_filters_in_use() %}
    {%- set scoring_models = ref('stg_scoring_config__models') %}
    {%- set scoring_rules = ref('int_scoring_rules') %}
    {%- if execute and model.resource_type != 'unit_test' %}
        {%- set in_use = run_query('select (select count(*) from ' ~ scoring_models ~ ' where segment is not null),'
            ~ ' (select count(*) from ' ~ scoring_rules ~ ' where only_if is not null)').rows[0] %}
        {{ return([in_use[0] > 0, in_use[1] > 0]) }}
    {%- endif %}
    {{ return([true, true]) }}
{% endmacro %}
