{#- The scoring_conditions seed, typed and normalised like the rules (lower-case names, operators
    and values; spaces around '|' removed), with the kind of the attribute an attribute condition
    reads (null when the attribute does not exist) and a condition_id that names the condition
    within its set. Validated in int_config_checks__conditions; read it through
    int_scoring_conditions, which refuses to build while there are errors. -#}
with

source as (

    select * from {{ ref('scoring_conditions') }}

),

cleaned as (

    select
        {{ clean_seed_text('model') }} as model,
        lower({{ clean_seed_text('condition_set') }}) as condition_set,
        lower({{ clean_seed_text('match') }}) as match_mode,
        lower({{ clean_seed_text('source') }}) as source,
        lower({{ regexp_replace_all(clean_seed_text('field'), ' *[|] *', '|') }}) as field,
        lower({{ clean_seed_text('operator') }}) as operator,
        lower({{ regexp_replace_all(clean_seed_text('value'), ' *[|] *', '|') }}) as value,
        {{ clean_seed_text('value_to') }} as value_to_raw,
        lower({{ clean_seed_text('detail_operator') }}) as detail_operator,
        lower({{ regexp_replace_all(clean_seed_text('detail_value'), ' *[|] *', '|') }}) as detail_value,
        {{ clean_seed_text('window_days') }} as window_days_raw,
        {{ clean_seed_text('description') }} as description
    from source

),

typed as (

    select
        *,
        {{ safe_cast('value', type_double()) }} as value_number,
        {{ safe_cast('value_to_raw', type_double()) }} as value_to_number,
        {{ safe_cast('detail_value', type_double()) }} as detail_value_number,
        {{ safe_cast('window_days_raw', type_double()) }} as window_days,
        {{ dbt.concat(["coalesce(condition_set, '')", "':'", row_hash(['source', 'field', 'operator', 'value',
            'value_to_raw', 'detail_operator', 'detail_value', 'window_days_raw'])]) }} as condition_id
    from cleaned

),

attribute_catalog as (

    {{ lead_attribute_catalog_sql() }}

),

final as (

    select
        typed.*,
        attribute_catalog.attribute_kind
    from typed
    left join attribute_catalog
        on typed.source = 'attribute' and typed.field = attribute_catalog.attribute

)

select * from final
