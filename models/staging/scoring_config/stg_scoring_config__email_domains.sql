{#- The email_domains seed, typed: domain lists (personal, education, disposable, competitor,
    internal). An entry covers the domain itself and all its subdomains. -#}
with

source as (

    select * from {{ ref('email_domains') }}

),

final as (

    select
        lower({{ clean_seed_text('domain') }}) as domain,
        lower({{ clean_seed_text('domain_type') }}) as domain_type
    from source

)

select * from final
