{#- Events flagged as activity (what the lead did; a delivery or a bounce is done to the lead)
    and as email engagement. -#}
{% macro is_activity_event(event_type) -%}
    {{ event_type }} not in ('email_delivered', 'email_bounce')
{%- endmacro %}

{% macro is_email_engagement_event(event_type) -%}
    {{ event_type }} in ('email_open', 'email_click', 'email_reply')
{%- endmacro %}
