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

{#- The seeds' checksum int_scoring_config_errors was stored with: none where it is a view (always
    current, nothing to compare), '' where a table has no stamp. -#}
{% macro config_errors_stored_checksum(relation) -%}
    {{ return(adapter.dispatch('config_errors_stored_checksum', 'lead_scoring')(relation)) }}
{%- endmacro %}

{% macro default__config_errors_stored_checksum(relation) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__config_errors_stored_checksum(relation) -%}
    {{ return(config_errors_stored_property(relation, 'seeds_checksum')) }}
{%- endmacro %}

{#- A table property lead_scoring.<name> that config_errors_table stamped (Spark), '' without one:
    show tblproperties gives a "does not have property" text as the value of a missing key, which
    no stamp equals. The name is one of the two fixed ones the materialization writes. -#}
{% macro config_errors_stored_property(relation, name) -%}
    {%- set result = run_query("show tblproperties " ~ relation ~ " ('lead_scoring." ~ name ~ "')") -%}
    {{ return(result.rows[0][1] if result.rows | length > 0 else '') }}
{%- endmacro %}
