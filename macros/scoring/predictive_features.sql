{#- The lead_features columns a predictive model may use (backtest_features hands them to
    `leadscore train`; lead_conversion_probability applies the trained weights to them). -#}

{#- Text columns, one-hot encoded by level; identifiers and PII listed in var
    predictive_excluded_columns are left out. -#}
{% macro predictive_text_features() -%}
    {%- set columns = [] -%}
    {%- for c in lead_text_columns() + ['email_domain_type'] -%}
        {%- if c not in project_var('predictive_excluded_columns') -%}
            {%- do columns.append(c) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- Numeric columns (flags count as 0 / 1): numeric attributes, data-quality signals, recency and
    the per-type event counts of every feature window. -#}
{% macro predictive_numeric_features() -%}
    {%- set columns = lead_numeric_columns() + predictive_flag_features() + [
        'spam_signals', 'optional_fields_filled', 'days_since_last_activity',
        'days_since_last_email_engagement', 'days_since_created', 'events_total'] -%}
    {%- for event_type, days, column in window_count_columns() -%}
        {%- do columns.append(column) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{% macro predictive_flag_features() -%}
    {{ return(['name_without_capital', 'keyboard_run', 'invalid_email']) }}
{%- endmacro %}

{#- A numeric feature as a double: a flag is 1 when true, 0 when false, null when unknown. -#}
{% macro predictive_numeric_value(column) -%}
    {%- if column.split('.')[-1] in predictive_flag_features() -%}
        cast(case when {{ column }} then 1 when not {{ column }} then 0 end as {{ type_double() }})
    {%- else -%}
        cast({{ column }} as {{ type_double() }})
    {%- endif -%}
{%- endmacro %}

{#- A numeric feature's value bounded to the term's training range [clip_low, clip_high]; a
    blank bound leaves that side open. -#}
{% macro predictive_clip(value) -%}
    case
        when clip_high is not null and {{ value }} > clip_high then clip_high
        when clip_low is not null and {{ value }} < clip_low then clip_low
        else {{ value }}
    end
{%- endmacro %}

{#- A numeric feature's value after the term's transform: log1p (ln(1 + x), x floored at 0) for
    counts and money, none for the rest. -#}
{% macro predictive_transform(transform_column, value) -%}
    case
        when {{ transform_column }} = 'log1p' then ln(1 + greatest({{ value }}, 0))
        else {{ value }}
    end
{%- endmacro %}

{#- A number as text with two decimals (through a fixed-scale decimal: DuckDB and Spark print
    doubles differently), for labels. -#}
{% macro format_number(expression) -%}
    cast({{ round_points(expression) }} as {{ dbt.type_string() }})
{%- endmacro %}

{#- A predictive top factor as text: 'feature = value (+0.42)', the contribution signed and with two
    decimals. -#}
{% macro factor_label(feature, value_text, contribution) -%}
    {{ dbt.concat([feature, "' = '", value_text, "' ('", "case when " ~ contribution ~ " > 0 then '+' else '' end",
        format_number(contribution), "')'"]) }}
{%- endmacro %}
