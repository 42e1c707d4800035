{#- Whether a label is one of a '|'-separated list of labels (exact match of a whole item; a null
    label is in no list). -#}
{% macro in_label_list(label, label_list) -%}
    coalesce({{ dbt.position(dbt.concat(["'|'", label, "'|'"]), dbt.concat(["'|'", label_list, "'|'"])) }} > 0, false)
{%- endmacro %}
