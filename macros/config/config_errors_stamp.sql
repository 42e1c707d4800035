{#- One checksum of every seed file of this package (the calling model's, so also when the project
    is installed as a package), from dbt's own file checksums (the graph), so a seed edited since
    int_scoring_config_errors was stored shows. -#}
{% macro scoring_seeds_checksum() -%}
    {%- set parts = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
        {%- if node.resource_type == 'seed' and node.package_name == model.package_name -%}
            {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join(','))) }}
{%- endmacro %}

{#- Post-hook of int_scoring_config_errors: where it is a table (Spark), records the seeds'
    checksum as a table property; nothing where it is a view, which always reads the seeds as
    they are. -#}
{% macro config_errors_stamp() -%}
    {{ return(adapter.dispatch('config_errors_stamp', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__config_errors_stamp() -%}
    {{ return('') }}
{%- endmacro %}

{% macro spark__config_errors_stamp() -%}
    {%- if execute -%}
        {{ return("alter table " ~ this ~ " set tblproperties ('lead_scoring.seeds_checksum' = '"
            ~ scoring_seeds_checksum() ~ "')") }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- The seeds' checksum int_scoring_config_errors was stored with: none where it is a view (always
    current, nothing to compare), '' where a table has no stamp. -#}
{% macro config_errors_stored_checksum(relation) -%}
    {{ return(adapter.dispatch('config_errors_stored_checksum', 'lead_scoring')(relation)) }}
{%- endmacro %}

{% macro default__config_errors_stored_checksum(relation) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__config_errors_stored_checksum(relation) -%}
    {#- columns key, value; a missing key gives a "does not have property" text as its value -#}
    {%- set result = run_query("show tblproperties " ~ relation ~ " ('lead_scoring.seeds_checksum')") -%}
    {{ return(result.rows[0][1] if result.rows | length > 0 else '') }}
{%- endmacro %}
