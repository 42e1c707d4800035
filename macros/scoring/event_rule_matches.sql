{#- The (event, event rule) pairs where the event qualifies: same type as the rule's field and
    the detail passing the rule's filter (a blank operator: any detail). events must have
    lead_id, event_type, event_detail and occurred_at; every column of events is kept, and of
    rules the columns scoring needs plus those named in carry. Windows are the caller's business. -#}
{% macro qualifying_event_rules(events, rules, rule_values, carry=[]) -%}
    select
        {{ events }}.*,
        {{ rules }}.model,
        {{ rules }}.rule_id,
        {{ rules }}.points,
        {{ rules }}.half_life_days,
        {%- for column in carry %}
        {{ rules }}.{{ column }},
        {%- endfor %}
        {{ rules }}.window_days
    from {{ events }}
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
