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
    blank bound leaves that side open. The term's columns are read as term ~ separator ~ name:
    terms.clip_low for a relation's alias terms, or t_clip_low for term t and separator '_'. -#}
{% macro predictive_clip(value, term, separator='.') -%}
    {%- set low, high = term ~ separator ~ 'clip_low', term ~ separator ~ 'clip_high' -%}
    case
        when {{ high }} is not null and {{ value }} > {{ high }} then {{ high }}
        when {{ low }} is not null and {{ value }} < {{ low }} then {{ low }}
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

{#- A lead's numeric features as one list, in predictive_numeric_features order (features: the
    alias of int_lead_features), read with list_element at predictive_feature_position: one list
    per lead instead of a case over every feature for each (lead, regression term or tested
    feature of the trees). -#}
{% macro predictive_feature_list(features) -%}
    {%- set values = [] -%}
    {%- for c in predictive_numeric_features() -%}
        {%- do values.append(predictive_numeric_value(features ~ '.' ~ c)) -%}
    {%- endfor -%}
    {{ list_of(values) }}
{%- endmacro %}

{#- Where a numeric feature's value sits in predictive_feature_list (from 1); null for a name
    that is not a numeric feature (a text term's feature). -#}
{% macro predictive_feature_position(feature) -%}
    case {{ feature }}
        {%- for c in predictive_numeric_features() %}
            when '{{ c }}' then {{ loop.index }}
        {%- endfor %}
    end
{%- endmacro %}

{#- A numeric term's contribution for a value of its feature (a column, computed once):
    coefficient x (transform(clip(coalesce(value, fill_value))) - center) / scale, the term's
    columns read as in predictive_clip. One expression, so a contribution computed twice is the
    same double. -#}
{% macro predictive_term_contribution(term, value, separator='.') -%}
    {%- set column = term ~ separator -%}
    {{ column }}coefficient
    * ({{ predictive_transform(column ~ 'transform', predictive_clip('coalesce(' ~ value ~ ', ' ~ column ~ 'fill_value)', term, separator)) }}
        - {{ column }}center)
    / {{ column }}scale
{%- endmacro %}

{#- A regression term as one bigint for top_n / bottom_n: its contribution as the labels round it,
    in cents (bounded to +-2^42), times 2^20, plus 2^20 - term_id. A plain integer heap keeps a
    lead's top three (a struct of contribution and term took twice as long at 1M leads); the
    largest keys are the largest contributions, the earlier term first among equal ones, the
    smallest the most negative, the later term first. Up to 2^20 - 1 terms per model. -#}
{% macro predictive_term_key(contribution, term_id) -%}
    {%- set cents = 'cast(' ~ round_points(contribution) ~ ' * 100 as ' ~ dbt.type_bigint() ~ ')' -%}
    case
        when {{ cents }} > 4398046511104 then 4398046511104
        when {{ cents }} < -4398046511104 then -4398046511104
        else {{ cents }}
    end * 1048576 + (1048576 - {{ term_id }})
{%- endmacro %}

{#- The term_id a predictive_term_key holds (its low 20 bits, read as 2^20 - term_id). -#}
{% macro predictive_term_id(key) -%}
    1048576 - (({{ key }}) % 1048576 + 1048576) % 1048576
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
