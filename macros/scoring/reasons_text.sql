{#- The reasons of a list of structs (points, rule_id, description) kept by top_n, as one text:
    'description (+15.00); description (+10.00)', largest first; null when the list is empty. -#}
{% macro reasons_text(list, n=3) -%}
    nullif(concat_ws('; '
    {%- for slot in range(1, n + 1) %},
        {{ dbt.concat(["coalesce((" ~ list_element(list, slot) ~ ").description, (" ~ list_element(list, slot) ~ ").rule_id)",
            "' (+'", format_number("(" ~ list_element(list, slot) ~ ").points"), "')'"]) }}
    {%- endfor %}), '')
{%- endmacro %}
