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
    Steps: council_period_dimensioned (each fact per breakdown and bureau cell),
    council_period_additive (figures summed over the years of a period), council_period_people
    (people once per period).
    Secondary suppression across tables runs when the file is published
    (ingestion/publish/disclosure/suppress.py); docs/council.md describes the whole method.
#}

with

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
    from {{ ref('council_period_additive') }} as period_additive
    left join {{ ref('council_period_people') }} as period_people
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
