{{ config(materialized='ephemeral') }}

{#
    The Council figures of grain 'period': period_from x period_to (every range of years) x
    bureau (and 'ALL') x dimension x category, people counted once per period; dimension
    'region' is the activity's region, 'participant_region' the region of the person's country.
    Published by period_figures.

    Suppression (var council_min_cell_size, 5; the macros of macros/council.sql apply the
    small-cell rule, the rounding and the withheld shares to every grain alike):
    - a cell whose distinct people number 1..4 is suppressed;
    - gender and participant-region breakdowns partition people (one gender, one country per
      person): when one cell of such a breakdown of a period and bureau is suppressed,
      'unknown' (else the next smallest) is suppressed too (no recovery by subtraction), and a
      group whose own people number 1..4 gets no such rows at all.
    Secondary suppression across tables runs when the file is published
    (ingestion/publish/council_suppress.py); docs/council.md describes the whole method.
#}

with

facts as (

    select * from {{ ref('council_facts') }}
    where activity_year is not null

),

periods as (

    select * from {{ ref('council_periods') }}

),

breakdowns as (

    select unnest([
        'overall', 'region', 'participant_region', 'topic', 'activity_type', 'delivery_mode',
        'gender'
    ]) as dimension

),

bureau_cells as (

    -- each fact counts for its own bureau and for every bureau together ('ALL')
    select unnest([false, true]) as is_all

),

dimensioned as (

    -- Each fact once per breakdown of the period figures, for its bureau and for 'ALL'.
    select
        facts.*,
        breakdowns.dimension,
        case breakdowns.dimension
            when 'overall' then 'ALL'
            when 'region' then facts.region
            when 'participant_region' then facts.participant_region
            when 'topic' then facts.topic
            when 'activity_type' then facts.activity_type
            when 'delivery_mode' then facts.delivery_mode
            when 'gender' then facts.gender
        end as category,
        case when bureau_cells.is_all then 'ALL' else facts.bureau end as bureau_cell
    from facts
    cross join breakdowns
    cross join bureau_cells
    -- a breakdown by a person's attribute only for participations (an activity alone has no
    -- gender or participant region)
    where
        breakdowns.dimension not in ('gender', 'participant_region')
        or facts.participant_key is not null

),

cell_years as (

    -- Additive figures per cell and year (an activity has one start year, so activities and
    -- participation counts add up over the years of a period).
    select
        bureau_cell as bureau,
        dimension,
        category,
        activity_year,
        count(distinct activity_key) as n_activities,
        count(participation_key) filter (where is_trained) as n_participations,
        count(participation_key) filter (where completed) as n_completions,
        count(participation_key) filter (where completed is not null) as n_completion_known,
        count(participation_key) filter (where certified) as n_certificates,
        count(participation_key) filter (where certified is not null) as n_certificate_known,
        count(participation_key) filter (where passed) as n_passes,
        count(participation_key) filter (where passed is not null) as n_assessed,
        count(satisfaction_1_5) as n_satisfaction,
        sum(satisfaction_1_5) as sum_satisfaction
    from dimensioned
    group by bureau_cell, dimension, category, activity_year

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
    from dimensioned
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

period_additive as (

    select
        periods.period_from,
        periods.period_to,
        cell_years.bureau,
        cell_years.dimension,
        cell_years.category,
        sum(cell_years.n_activities) as n_activities,
        sum(cell_years.n_participations) as n_participations,
        sum(cell_years.n_completions) as n_completions,
        sum(cell_years.n_completion_known) as n_completion_known,
        sum(cell_years.n_certificates) as n_certificates,
        sum(cell_years.n_certificate_known) as n_certificate_known,
        sum(cell_years.n_passes) as n_passes,
        sum(cell_years.n_assessed) as n_assessed,
        sum(cell_years.n_satisfaction) as n_satisfaction,
        sum(cell_years.sum_satisfaction) / nullif(sum(cell_years.n_satisfaction), 0)
            as mean_satisfaction
    from cell_years
    inner join periods
        on cell_years.activity_year between periods.period_from and periods.period_to
    group by
        periods.period_from,
        periods.period_to,
        cell_years.bureau,
        cell_years.dimension,
        cell_years.category

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

),

period_aggregates as (

    select
        period_additive.*,
        coalesce(period_people.n_people, 0) as n_people,
        coalesce(period_people.n_development_known, 0) as n_development_known,
        coalesce(period_people.n_developing, 0) as n_developing,
        coalesce(period_people.n_ldc_known, 0) as n_ldc_known,
        coalesce(period_people.n_ldc_lldc_sids, 0) as n_ldc_lldc_sids,
        coalesce(period_people.n_gender_known, 0) as n_gender_known,
        coalesce(period_people.n_women, 0) as n_women
    from period_additive
    left join period_people
        on
            period_additive.period_from = period_people.period_from
            and period_additive.period_to = period_people.period_to
            and period_additive.bureau = period_people.bureau
            and period_additive.dimension = period_people.dimension
            and period_additive.category = period_people.category

),

group_flags as (

    select
        *,
        bool_or(dimension = 'overall' and {{ council_small('n_people') }}) over (
            partition by period_from, period_to, bureau
        ) as group_suppressed
    from period_aggregates

),

period_cells as (

    -- Secondary suppression of the breakdowns that partition people (gender, participant
    -- region): see the header. The split of a group of 1..4 people is not published at all
    -- (which genders or regions appear would describe them).
    select
        * exclude (group_suppressed),
        {{ council_small('n_people') }} or (
            dimension in ('gender', 'participant_region')
            and count(*) filter (where {{ council_small('n_people') }}) over gender_split = 1
            and not {{ council_small('n_people') }}
            and n_people > 0
            and (
                -- the complement: 'unknown' when it can be (it keeps women, men and the women
                -- share published), else the next smallest category
                category = 'unknown'
                or (
                    count(*) filter (
                        where
                        category = 'unknown'
                        and not {{ council_small('n_people') }}
                    ) over gender_split = 0
                    and n_people = min(n_people) filter (
                        where not {{ council_small('n_people') }} and n_people > 0
                    ) over gender_split
                )
            )
        ) as suppressed
    from group_flags
    where not (dimension in ('gender', 'participant_region') and group_suppressed)
    window gender_split as (partition by period_from, period_to, bureau, dimension)

)

select
    period_from,
    period_to,
    bureau,
    dimension,
    category,
    {{ council_figures() }}
from period_cells
