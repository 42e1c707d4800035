{#- The problems of seeds/email_domains.csv: each domain row (blank domains, unknown domain types),
    one row each: the seed file, the model, the row and the fix. -#}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

domains as (

    select * from {{ ref('stg_scoring_config__email_domains') }}

),

problems as (

    select
        domain,
        'domain is blank.' as problem
    from domains
    where domain is null
    union all
    select
        domain,
        'domain_type must be personal, education, disposable, competitor or internal.'
    from domains
    where domain_type is null or domain_type not in ('personal', 'education', 'disposable', 'competitor', 'internal')

),

final as (

    select
        'seeds/email_domains.csv' as seed_file,
        cast(null as {{ dbt.type_string() }}) as model,
        {{ dbt.concat(["'domain '", "coalesce(domain, '(blank)')"]) }} as row_key,
        problem
    from problems

)

select * from final
