{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of council_period_cells, one row per period (every range of years) x bureau
    (and 'ALL') x dimension x category: the figures that add up over the years of a period
    (activities, participations, completions, passes, satisfaction). An activity has one
    start year, so a period's figure is the sum of its years'.
#}

with

periods as (

    select * from {{ ref('council_periods') }}

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
        {{ exact_sum('satisfaction_1_5') }} as sum_satisfaction
    from {{ ref('council_period_dimensioned') }}
    group by bureau_cell, dimension, category, activity_year

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
        {{ exact_sum('cell_years.sum_satisfaction') }} / nullif(sum(cell_years.n_satisfaction), 0)
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

)

select * from period_additive
