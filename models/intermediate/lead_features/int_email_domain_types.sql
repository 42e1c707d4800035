{#- Each distinct email domain of the staged leads with the list it belongs to, if any: a
    domain is in a list when it equals an entry or is a subdomain of it (an entry 'edu' covers
    every .edu domain). When lists overlap: internal > competitor > disposable > education >
    personal. -#}
{{ config(materialized='table') }}
{{ assert_valid_scoring_config() }}

with

lead_domains as (

    select distinct email_domain as domain
    from {{ ref('stg_raw__leads') }}
    where email_domain is not null

),

domain_lists as (

    select * from {{ ref('stg_scoring_config__email_domains') }}

),

list_matches as (

    select
        lead_domains.domain,
        case domain_lists.domain_type
            when 'internal' then 1
            when 'competitor' then 2
            when 'disposable' then 3
            when 'education' then 4
            when 'personal' then 5
        end as precedence
    from lead_domains
    inner join domain_lists
        on lead_domains.domain = domain_lists.domain
            or {{ dbt.right('lead_domains.domain', dbt.length('domain_lists.domain') ~ ' + 1') }}
            = {{ dbt.concat(["'.'", 'domain_lists.domain']) }}

),

best_match as (

    select
        domain,
        min(precedence) as precedence
    from list_matches
    group by domain

),

final as (

    select
        domain,
        case precedence
            when 1 then 'internal'
            when 2 then 'competitor'
            when 3 then 'disposable'
            when 4 then 'education'
            when 5 then 'personal'
        end as list_type
    from best_match

)

select * from final
