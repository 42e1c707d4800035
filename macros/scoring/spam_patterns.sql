{#- Regular expression matching a run of 4 letters in forward order along a keyboard row
    (QWERTY: qwertyuiop, asdfghjkl, zxcvbnm; AZERTY: azertyuiop, qsdfghjklm, wxcvbn).
    Any longer run contains a run of 4, so the 4-letter windows of each row are enough. -#}
{% macro keyboard_run_pattern() -%}
    {%- set rows = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'azertyuiop', 'qsdfghjklm', 'wxcvbn'] -%}
    {%- set runs = [] -%}
    {%- for row in rows -%}
        {%- for i in range(row | length - 3) -%}
            {%- if row[i:i + 4] not in runs %}{% do runs.append(row[i:i + 4]) %}{% endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return('(' ~ runs | join('|') ~ ')') }}
{%- endmacro %}

{#- A syntactically valid email: ^[^@\s]+@[^@\s]+\.[^@\s]+$ -#}
{% macro valid_email_pattern() -%}
    {%- set not_at_or_space = '[^@' ~ regex_whitespace() ~ ']' -%}
    {{ return('^' ~ not_at_or_space ~ '+@' ~ not_at_or_space ~ '+[.]' ~ not_at_or_space ~ '+$') }}
{%- endmacro %}

{#- The whitespace class \s as it must be written inside a SQL string literal: Spark SQL
    unescapes backslashes in literals, DuckDB does not. -#}
{% macro regex_whitespace() -%}
    {{ return(adapter.dispatch('regex_whitespace', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__regex_whitespace() -%}
    {{ return('\\s') }}
{%- endmacro %}

{% macro spark__regex_whitespace() -%}
    {{ return('\\\\s') }}
{%- endmacro %}
