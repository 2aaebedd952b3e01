{{ config(schema='council', materialized='table') }}

{#
    People trained per year and bureau (and 'ALL'), crossed by who they are and where the
    training was: participant region (the ITU region of the person's country), activity region
    (the activity's own region), gender and country group. Each person counts once per cell.

    Every attribute also has its 'ALL' row, so each margin is itself published. Attributes are
    crossed at most var('council_cross_max_attributes') (2) at a time: every pair of attributes
    by year and bureau, with the margins of each pair (one attribute, none). A full cross of
    the four would be mostly cells of 1..4 people, all suppressed, and each suppression would
    force complementary suppressions along four more margins.

    Country group: 'developing', 'developed' and 'unknown' partition people (one country
    per person); 'ldc', 'lldc' and 'sids' are subgroups (a country can be in several, an LLDC
    need not be developing), each a part of its 'ALL' row.

    Primary suppression (the rules of the other Council tables): a cell of 1..4 people is
    suppressed (people_trained null, suppressed = true), and so is a subgroup cell (LDC, LLDC,
    SIDS) whose 'ALL' row minus the subgroup is 1..4 (the people outside the subgroup would be
    that small group).

    Rounding: every other cell, margins included, is published rounded to the nearest multiple
    of the threshold (council_rounded). The exact people counts are those of headline_figures
    and period_figures; the crossed cells are many, overlap each other and those exact figures,
    so exact crossed cells would pin hidden ones by subtraction and force complementary
    suppressions all the way up to the headlines. Rounded, a difference leaves an interval.
    The rare hidden cell still pinned (an exact margin minus a rounded cell near it) gets a
    complement at publish (ingestion/publish/disclosure/suppress.py).

    Step: council_group_memberships (each person trained once per country group); the cells
    are one aggregate of it per grouping set, written once.
#}

{%- set min_cell = var('council_min_cell_size') -%}
{%- set max_crossed = var('council_cross_max_attributes') -%}
{%- set small = "(%s between 1 and " ~ (min_cell - 1) ~ ")" -%}
{%- set attributes = ['participant_region', 'activity_region', 'gender', 'country_group'] -%}
{%- set columns = ['bureau'] + attributes -%}

{#- every set of at most max_crossed attributes, with and without the bureau -#}
{%- set grouping_sets = [] -%}
{%- for mask in range(2 ** (attributes | length)) -%}
{%- set chosen = [] -%}
{%- for attribute in attributes -%}
{%- if (mask // (2 ** loop.index0)) % 2 == 1 -%}{%- do chosen.append(attribute) -%}{%- endif -%}
{%- endfor -%}
{%- if chosen | length <= max_crossed -%}
{%- do grouping_sets.append(chosen) -%}
{%- do grouping_sets.append(['bureau'] + chosen) -%}
{%- endif -%}
{%- endfor %}

with

cells as (

    -- one aggregate per grouping set; a column left out of the set is its 'ALL' margin.
    -- Distinct people: the 'ALL' rows count a person in several bureaux, regions or country
    -- groups once.
    {%- for grouping_set in grouping_sets %}
    select
        activity_year as year,  -- noqa: RF04
        {%- for column in columns %}
        {{ column if column in grouping_set else "'ALL'" }} as {{ column }},
        {%- endfor %}
        count(distinct participant_key) as n_people
    from {{ ref('council_group_memberships') }}
    group by activity_year{% for column in grouping_set %}, {{ column }}{% endfor %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

flagged as (

    select
        *,
        {{ small | format('n_people') }} or (
            country_group in ('ldc', 'lldc', 'sids')
            and {{ small | format('group_total - n_people') }}
        ) as suppressed
    from (
        select
            *,
            max(n_people) filter (where country_group = 'ALL') over (
                partition by year, bureau, participant_region, activity_region, gender
            ) as group_total
        from cells
    ) as totals

),

labelled as (

    -- codes of their lists beside their English labels (reference.code_labels; 'ALL' is the
    -- margin of every attribute: "All bureaux", "All regions"...)
    select
        year,  -- noqa: RF04
        bureau,
        {{ code_label('bureau', 'bureau') }} as bureau_label,
        participant_region,
        {{ code_label('region', 'participant_region') }} as participant_region_label,
        activity_region,
        {{ code_label('region', 'activity_region') }} as activity_region_label,
        gender,
        {{ code_label('gender', 'gender') }} as gender_label,
        country_group,
        {{ code_label('country_group', 'country_group') }} as country_group_label,
        case when not suppressed then {{ council_rounded('n_people') }} end as people_trained,
        suppressed
    from flagged

)

select * from labelled
order by
    year,
    bureau,
    participant_region,
    activity_region,
    gender,
    country_group
