{#- Every matching rule per (lead, model): attribute and event rules together, each with its
    contribution after the rule cap (before any group cap). -#}
{#- A view: stored, it would copy every matched rule once more each run; its readers scan the
    two match tables instead. -#}

with

attribute_matches as (

    select * from {{ ref('int_attribute_rule_matches') }}

),

event_matches as (

    select * from {{ ref('int_event_rule_matches') }}

),

final as (

    select * from attribute_matches
    union all
    select * from event_matches

)

select * from final
