{#- lead_score_sync's top reasons as one text, 'description (+15.00); description (+10.00)' (a
    rule without a description by its rule_id), from (rule, key) pairs strongest first: rule the
    alias of the rule's row, key its (cents * 2^20 + rule ordinal) key. A null key adds nothing;
    null when every key is null. -#}
{% macro reasons_text(slots) -%}
    nullif(concat_ws('; '
    {%- for rule, key in slots %},
        {{ dbt.concat(["coalesce(" ~ rule ~ ".description, " ~ rule ~ ".rule_id)", "' (+'",
            format_number(integer_divide(key, 1048576) ~ " / 100"), "')'"]) }}
    {%- endfor %}), '')
{%- endmacro %}
