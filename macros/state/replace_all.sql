{#- Incremental strategy 'replace_all', for a state table each of whose runs writes every key
    (int_lead_history_summary): empty the table and insert the new rows. delete+insert would
    join the table with the new rows on the key just to delete all of it (a third of the model's
    time). -#}
{% macro get_incremental_replace_all_sql(arg_dict) -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
    delete from {{ arg_dict['target_relation'] }};
    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
