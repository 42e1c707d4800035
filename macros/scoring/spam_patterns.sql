{#- Regular expression matching keyboard mash along a keyboard row (QWERTY: qwertyuiop, asdfghjkl,
    zxcvbnm; AZERTY: azertyuiop, qsdfghjklm, wxcvbn), in forward order, on lower-case text:
    - a run of 5+ letters anywhere (asdfg, zxcvb, qwerty123, azerty);
    - a word that is a run of exactly 4 letters (asdf, qwer, Zxcv Ltd).
    A run of 4 inside a longer word is not mash: Doherty, Liberty, Property, Ewert and Azerbaijan
    all contain one (tests/data/spam_signals lists the names that must not be flagged). Any
    longer run contains a run of 5, so the 5-letter windows of each row are enough. Words are
    delimited by anything that is not a letter in any script (\pL), so accents and digits
    behave as expected. -#}
{% macro keyboard_run_pattern() -%}
    {%- set rows = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'azertyuiop', 'qsdfghjklm', 'wxcvbn'] -%}
    {%- set runs_of_5 = [] -%}
    {%- set runs_of_4 = [] -%}
    {%- for row in rows -%}
        {%- for i in range(row | length - 3) -%}
            {%- if row[i:i + 4] not in runs_of_4 %}{% do runs_of_4.append(row[i:i + 4]) %}{% endif -%}
            {%- if i + 5 <= row | length and row[i:i + 5] not in runs_of_5 %}{% do runs_of_5.append(row[i:i + 5]) %}{% endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set not_letter = '[^' ~ regex_letter() ~ ']' -%}
    {{ return('(' ~ runs_of_5 | join('|') ~ ')|(^|' ~ not_letter ~ ')(' ~ runs_of_4 | join('|')
        ~ ')(' ~ not_letter ~ '|$)') }}
{%- endmacro %}

{#- A name written all in lower case: it has cased letters (lower differs from upper) and no
    capital. Names in scripts without letter case (Chinese, Japanese, Arabic, Hebrew, ...) have no
    cased letters and are never flagged. -#}
{% macro without_capital(column) -%}
    ({{ column }} = lower({{ column }}) and {{ column }} != upper({{ column }}))
{%- endmacro %}

{#- A syntactically valid email: ^[^@\s]+@[^@\s]+\.[^@\s]+$ -#}
{% macro valid_email_pattern() -%}
    {%- set not_at_or_space = '[^@' ~ regex_whitespace() ~ ']' -%}
    {{ return('^' ~ not_at_or_space ~ '+@' ~ not_at_or_space ~ '+[.]' ~ not_at_or_space ~ '+$') }}
{%- endmacro %}

{#- The whitespace class \s and the letter class \pL (a letter in any script) as they must be
    written inside a SQL string literal: Spark SQL unescapes backslashes in literals, DuckDB does
    not. -#}
{% macro regex_whitespace() -%}
    {{ return(adapter.dispatch('regex_whitespace', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__regex_whitespace() -%}
    {{ return('\\s') }}
{%- endmacro %}

{% macro spark__regex_whitespace() -%}
    {{ return('\\\\s') }}
{%- endmacro %}

{% macro regex_letter() -%}
    {{ return(adapter.dispatch('regex_letter', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__regex_letter() -%}
    {{ return('\\pL') }}
{%- endmacro %}

{% macro spark__regex_letter() -%}
    {{ return('\\\\pL') }}
{%- endmacro %}
