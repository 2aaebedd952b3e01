{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of council_period_cells, one row per period (every range of years) x bureau
    (and 'ALL') x dimension x category with people trained: the people, each counted once per
    period, and how many of them are from developing or LDC/LLDC/SIDS countries, of known
    gender, women.
#}

with

periods as (

    select * from {{ ref('council_periods') }}

),

person_years as (

    -- Each person trained once per cell and year, with the year the person was last trained
    -- in the cell before it. A person belongs to a period once, counted in the first of its
    -- years inside the period: the year y with previous_year < period_from <= y <= period_to.
    select
        bureau_cell as bureau,
        dimension,
        category,
        activity_year,
        participant_key,
        any_value(is_developing) as is_developing,
        any_value(is_ldc_lldc_sids) as is_ldc_lldc_sids,
        any_value(gender) as gender,
        lag(activity_year) over (
            partition by bureau_cell, dimension, category, participant_key
            order by activity_year
        ) as previous_year
    from {{ ref('council_period_dimensioned') }}
    where is_trained and participant_key is not null
    group by bureau_cell, dimension, category, activity_year, participant_key

),

people_groups as (

    select
        bureau,
        dimension,
        category,
        activity_year,
        previous_year,
        count(*) as n_people,
        count(*) filter (where is_developing is not null) as n_development_known,
        count(*) filter (where is_developing) as n_developing,
        count(*) filter (where is_ldc_lldc_sids is not null) as n_ldc_known,
        count(*) filter (where is_ldc_lldc_sids) as n_ldc_lldc_sids,
        count(*) filter (where gender in ('F', 'M')) as n_gender_known,
        count(*) filter (where gender = 'F') as n_women
    from person_years
    group by bureau, dimension, category, activity_year, previous_year

),

period_people as (

    select
        periods.period_from,
        periods.period_to,
        people_groups.bureau,
        people_groups.dimension,
        people_groups.category,
        sum(people_groups.n_people) as n_people,
        sum(people_groups.n_development_known) as n_development_known,
        sum(people_groups.n_developing) as n_developing,
        sum(people_groups.n_ldc_known) as n_ldc_known,
        sum(people_groups.n_ldc_lldc_sids) as n_ldc_lldc_sids,
        sum(people_groups.n_gender_known) as n_gender_known,
        sum(people_groups.n_women) as n_women
    from people_groups
    inner join periods
        on
            coalesce(people_groups.previous_year, -1) < periods.period_from
            and people_groups.activity_year between periods.period_from and periods.period_to
    group by
        periods.period_from,
        periods.period_to,
        people_groups.bureau,
        people_groups.dimension,
        people_groups.category

)

select * from period_people
