{#- The problems of the condition sets of seeds/scoring_conditions.csv as a whole: a set whose rows
    mix all and any, a reference to a set the model does not have, references in a cycle or
    deeper than one level, the same condition twice; and segments in seeds/scoring_models.csv
    that name no set. One row each: the seed file, the model, the row and the fix. -#}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

conditions as (

    select * from {{ ref('stg_scoring_config__conditions') }}

),

sets as (

    select
        model,
        condition_set,
        count(distinct match_mode) as match_modes,
        sum(case when source = 'condition_set' then 1 else 0 end) as set_references
    from conditions
    where condition_set is not null
    group by model, condition_set

),

duplicates as (

    select
        model,
        condition_set,
        condition_id
    from conditions
    group by model, condition_set, condition_id
    having count(*) > 1

),

set_links as (

    select
        conditions.model,
        conditions.condition_set,
        conditions.field as referenced_set,
        referenced.set_references as referenced_set_references,
        back.condition_set is not null as is_cycle
    from conditions
    left join sets as referenced
        on conditions.model = referenced.model and conditions.field = referenced.condition_set
    left join conditions as back
        on back.source = 'condition_set'
            and conditions.model = back.model
            and conditions.field = back.condition_set
            and conditions.condition_set = back.field
    where conditions.source = 'condition_set' and conditions.field is not null

),

problems as (

    select
        model,
        condition_set,
        'the rows of the set have different match values. Fix: use the same match (all or any) on every row of a set.' as problem
    from sets
    where match_modes > 1
    union all
    select
        model,
        condition_set,
        {{ dbt.concat(["'it names the set '''", 'referenced_set', "''', which this model does not have. Fix: add the set or correct the name.'"]) }}
    from set_links
    where referenced_set_references is null
    union all
    select
        model,
        condition_set,
        {{ dbt.concat(["'it names the set '''", 'referenced_set', "''', which names this set back: a cycle. Fix: remove one of the two references.'"]) }}
    from set_links
    where is_cycle
    union all
    select
        model,
        condition_set,
        {{ dbt.concat(["'it names the set '''", 'referenced_set', "''', which names other sets itself: one level of sets is the limit. Fix: list that set''s conditions here instead.'"]) }}
    from set_links
    where referenced_set_references > 0 and not is_cycle
    union all
    select
        model,
        condition_set,
        'the same condition is listed twice in the set. Fix: keep one row.'
    from duplicates
    union all
    select
        models.model,
        models.segment,
        'the segment names no condition set of this model. Fix: add the set to seeds/scoring_conditions.csv or correct the segment.'
    from models
    left join sets
        on models.model = sets.model and models.segment = sets.condition_set
    where models.segment is not null and sets.condition_set is null

),

final as (

    select
        case
            when problem like 'the segment names%' then 'seeds/scoring_models.csv'
            else 'seeds/scoring_conditions.csv'
        end as seed_file,
        model,
        {{ dbt.concat(["case when problem like 'the segment names%' then 'segment ' else 'condition set ' end",
            "coalesce(condition_set, '(blank)')"]) }} as row_key,
        problem
    from problems

)

select * from final
