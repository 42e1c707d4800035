{#- The scoring_rules seed, typed and normalised (lower-case names, operators and values;
    spaces around '|' removed), with the kind of the attribute an attribute rule reads (null when
    the attribute does not exist). Validated in int_scoring_config_errors; read it through
    int_scoring_rules, which refuses to build while there are errors. -#}
with

source as (

    select * from {{ ref('scoring_rules') }}

),

cleaned as (

    select
        {{ clean_seed_text('model') }} as model,
        {{ clean_seed_text('rule_id') }} as rule_id,
        lower({{ clean_seed_text('dimension') }}) as dimension,
        {{ clean_seed_text('rule_group') }} as rule_group,
        lower({{ clean_seed_text('source') }}) as source,
        lower({{ clean_seed_text('field') }}) as field,
        lower({{ clean_seed_text('operator') }}) as operator,
        lower({{ regexp_replace_all(clean_seed_text('value'), ' *[|] *', '|') }}) as value,
        {{ clean_seed_text('value_to') }} as value_to_raw,
        {{ clean_seed_text('points') }} as points_raw,
        {{ clean_seed_text('max_points') }} as max_points_raw,
        {{ clean_seed_text('half_life_days') }} as half_life_days_raw,
        {{ clean_seed_text('window_days') }} as window_days_raw,
        {{ optional_seed_column('scoring_rules', 'once_per_days') }} as once_per_days_raw,
        lower({{ optional_seed_column('scoring_rules', 'only_if') }}) as only_if,
        lower({{ clean_seed_text('disqualify') }}) as disqualify_raw,
        {{ clean_seed_text('description') }} as description
    from source

),

typed as (

    select
        model,
        rule_id,
        dimension,
        rule_group,
        source,
        field,
        operator,
        value,
        {{ safe_cast('value', type_double()) }} as value_number,
        value_to_raw,
        {{ safe_cast('value_to_raw', type_double()) }} as value_to_number,
        points_raw,
        {{ safe_cast('points_raw', type_double()) }} as points,
        max_points_raw,
        {{ safe_cast('max_points_raw', type_double()) }} as max_points,
        half_life_days_raw,
        {{ safe_cast('half_life_days_raw', type_double()) }} as half_life_days,
        window_days_raw,
        {{ safe_cast('window_days_raw', type_double()) }} as window_days,
        once_per_days_raw,
        {{ safe_cast('once_per_days_raw', type_double()) }} as once_per_days,
        only_if,
        disqualify_raw,
        case
            when disqualify_raw in ('true', 't', 'yes', 'y', '1') then true
            when disqualify_raw is null or disqualify_raw in ('false', 'f', 'no', 'n', '0') then false
        end as disqualify,
        description
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
