{#- The (event, event rule) pairs where the event qualifies: same type as the rule's field and
    the detail passing the rule's filter (a blank operator: any detail). events must have
    lead_id, event_type, event_detail (cleaned: null, never blank) and occurred_at; every column
    of events is kept, and of rules the columns scoring needs plus those named in carry. Windows
    are the caller's business.
    pairs_from: a relation holding every (event_type, event_detail) of events (more is harmless).
    Given, the rules are matched once per distinct pair of it, and the events join that small
    lookup on their type and detail: for tens of millions of events of a few dozen pairs, instead
    of testing every event against every rule of its type. Name a stored relation, not a CTE of
    the query, so reading it for the pairs does not make the engine keep the events twice. -#}
{% macro qualifying_event_rules(events, rules, rule_values, carry=[], pairs_from=none) -%}
    {%- set rule_columns = ['model', 'rule_id', 'points', 'half_life_days'] + carry + ['window_days'] %}
    {%- if pairs_from is none %}
        {{ event_rule_hits(events, events ~ '.*', rules, rule_values, rule_columns) }}
    {%- else %}
    select
        {{ events }}.*,
        {%- for column in rule_columns %}
        rule_pairs.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ events }}
    inner join (
        {{ event_rule_hits('pairs', 'pairs.event_type, pairs.event_detail', rules, rule_values, rule_columns,
            from_sql='(select distinct event_type, event_detail from ' ~ pairs_from ~ ') as pairs') }}
    ) as rule_pairs
        on {{ events }}.event_type = rule_pairs.event_type
            and coalesce({{ events }}.event_detail, '') = coalesce(rule_pairs.event_detail, '')
    {%- endif %}
{%- endmacro %}

{#- qualifying_event_rules' test: the rows of events (selecting event_columns) joined to the rules
    of their type whose filter the detail passes, with the rules' rule_columns. from_sql: what to
    read events from, if not the CTE of that name. -#}
{% macro event_rule_hits(events, event_columns, rules, rule_values, rule_columns, from_sql=none) -%}
    select
        {{ event_columns }},
        {%- for column in rule_columns %}
        {{ rules }}.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ from_sql or events }}
    inner join {{ rules }}
        on {{ events }}.event_type = {{ rules }}.field
    -- list items are distinct per rule (int_scoring_rule_values), so this left join adds no rows
    left join {{ rule_values }}
        on {{ rules }}.model = {{ rule_values }}.model
            and {{ rules }}.rule_id = {{ rule_values }}.rule_id
            and {{ events }}.event_detail = {{ rule_values }}.value_item
    where
        {{ rules }}.operator is null
        or {{ rule_condition(
            operator=rules ~ '.operator',
            value_text=events ~ '.event_detail',
            value_number=safe_cast(events ~ '.event_detail', type_double()),
            is_numeric='false',
            rule_value=rules ~ '.value',
            rule_value_number=rules ~ '.value_number',
            rule_value_to_number=rules ~ '.value_to_number',
            in_list_hit=rule_values ~ '.value_item is not null') }}
{%- endmacro %}
