{#- Every problem found in the scoring seeds, one row each, naming the seed file, the model,
    the row and the fix: the union of the checks of each seed (int_config_checks__*).
    The models that call assert_valid_scoring_config (int_scoring_rules, int_email_domain_types,
    lead_conversion_probability and five more) refuse to build while it has rows, so a typo in the
    points table stops the build with a readable message. A view, so the checks read the seeds as they are,
    except on Spark, where each query of the view is slow even on tiny seeds (one large plan)
    and it is a table (config_errors_materialization), stamped with the seed files' checksum so
    that a stale one is refused, and kept as it is by a build with the same seeds and checks. -#}
{{ config(materialized=config_errors_materialization()) }}

with

final as (

    select * from {{ ref('int_config_checks__models') }}
    union all
    select * from {{ ref('int_config_checks__rules') }}
    union all
    select * from {{ ref('int_config_checks__rule_conditions') }}
    union all
    select * from {{ ref('int_config_checks__rule_numbers') }}
    union all
    select * from {{ ref('int_config_checks__conditions') }}
    union all
    select * from {{ ref('int_config_checks__condition_sets') }}
    union all
    select * from {{ ref('int_config_checks__groups') }}
    union all
    select * from {{ ref('int_config_checks__thresholds') }}
    union all
    select * from {{ ref('int_config_checks__email_domains') }}
    union all
    select * from {{ ref('int_config_checks__predictive_weights') }}
    union all
    select * from {{ ref('int_config_checks__predictive_trees') }}
    union all
    select * from {{ ref('int_config_checks__routing_rules') }}
    union all
    select * from {{ ref('int_config_checks__sla_policies') }}
    union all
    select * from {{ ref('int_config_checks__score_triggers') }}

)

select * from final
