{#
    council_rounded(expr): a count of the Council file rounded to the nearest multiple of the
    threshold (var council_min_cell_size; halves away from zero, 0 stays 0). Used for the event
    counts of the figure tables and for the people of the crossed table people_by_group: a
    difference of rounded figures leaves an interval of at least 2 x (threshold // 2) + 1 values,
    not a hidden part (docs/council.md, "Rounding").
#}
{% macro council_rounded(expr) -%}
    {%- set base = var('council_min_cell_size') %}
    cast(round({{ expr }} / {{ base }}) * {{ base }} as bigint)
{%- endmacro %}

{#
    The Council figures of one grain, written once for the three grains the Council marts
    publish (activity_figures, headline_figures, period_figures; docs/council.md):

      council_year_aggregates()  the aggregates of a year's cell over council_facts rows
                                 (n_people, n_women... ; people counted once in the cell)
      council_figures()          the published columns of a relation of such aggregates with
                                 its `suppressed` flag: the small-cell rule (var
                                 council_min_cell_size), rounded event counts, shares
                                 withheld with the cells they depend on, partially_suppressed
#}
{% macro council_year_aggregates() -%}
    count(distinct activity_key) as n_activities,
    count(participation_key) filter (where is_trained) as n_participations,
    count(distinct participant_key) filter (where is_trained) as n_people,
    count(participation_key) filter (where completed) as n_completions,
    count(participation_key) filter (where completed is not null) as n_completion_known,
    count(participation_key) filter (where certified) as n_certificates,
    count(participation_key) filter (where certified is not null) as n_certificate_known,
    count(participation_key) filter (where passed) as n_passes,
    count(participation_key) filter (where passed is not null) as n_assessed,
    count(satisfaction_1_5) as n_satisfaction,
    avg(satisfaction_1_5) as mean_satisfaction,
    count(distinct participant_key) filter (
        where is_trained and is_developing is not null
    ) as n_development_known,
    count(distinct participant_key) filter (where is_trained and is_developing) as n_developing,
    count(distinct participant_key) filter (
        where is_trained and is_ldc_lldc_sids is not null
    ) as n_ldc_known,
    count(distinct participant_key) filter (
        where is_trained and is_ldc_lldc_sids
    ) as n_ldc_lldc_sids,
    count(distinct participant_key) filter (
        where is_trained and gender in ('F', 'M')
    ) as n_gender_known,
    count(distinct participant_key) filter (where is_trained and gender = 'F') as n_women
{%- endmacro %}

{#- council_small(expr): a count of 1..min_cell-1 (a small cell) -#}
{% macro council_small(expr) -%}
    ({{ expr }} between 1 and {{ var('council_min_cell_size') - 1 }})
{%- endmacro %}

{#- council_withheld(num, den): a share whose denominator, numerator or rest is small -#}
{% macro council_withheld(num, den) -%}
    {%- set min_cell = var('council_min_cell_size') -%}
    ({{ den }} >= 1 and ({{ den }} < {{ min_cell }} or {{ council_small(num) }}
        or {{ council_small(den ~ ' - ' ~ num) }}))
{%- endmacro %}

{#- council_share(num, den): the share, published when neither it nor its cell is withheld -#}
{% macro council_share(num, den) -%}
    case
        when not suppressed and not {{ council_withheld(num, den) }} and {{ den }} > 0
            then round(cast({{ num }} as double) / {{ den }}, 4)
    end
{%- endmacro %}

{% macro council_figures() -%}
    n_activities as activities,
    case when not suppressed then {{ council_rounded('n_participations') }} end as participations,
    case when not suppressed then n_people end as people_trained,
    case
        when
            not suppressed and n_completion_known > 0
            and not {{ council_small('n_completions') }}
            then {{ council_rounded('n_completions') }}
    end as completions,
    case
        when
            not suppressed and n_certificate_known > 0
            and not {{ council_small('n_certificates') }}
            then {{ council_rounded('n_certificates') }}
    end as certificates,
    {{ council_share('n_completions', 'n_completion_known') }} as completion_rate,
    {{ council_share('n_passes', 'n_assessed') }} as pass_rate,
    case
        when not suppressed and n_satisfaction >= {{ var('council_min_cell_size') }}
            then round(mean_satisfaction, 2)
    end as avg_satisfaction_1_5,
    {{ council_share('n_developing', 'n_development_known') }} as developing_share,
    {{ council_share('n_ldc_lldc_sids', 'n_ldc_known') }} as ldc_lldc_sids_share,
    {{ council_share('n_women', 'n_gender_known') }} as women_share,
    suppressed,
    not suppressed and (
        {{ council_small('n_completions') }}
        or {{ council_small('n_certificates') }}
        or {{ council_small('n_satisfaction') }}
        or {{ council_withheld('n_completions', 'n_completion_known') }}
        or {{ council_withheld('n_passes', 'n_assessed') }}
        or {{ council_withheld('n_developing', 'n_development_known') }}
        or {{ council_withheld('n_ldc_lldc_sids', 'n_ldc_known') }}
        or {{ council_withheld('n_women', 'n_gender_known') }}
    ) as partially_suppressed
{%- endmacro %}

{#- council_figure_columns(): the columns council_figures() makes, as the published figure
    tables list them after their keys -#}
{% macro council_figure_columns() -%}
    activities,
    participations,
    people_trained,
    completions,
    certificates,
    completion_rate,
    pass_rate,
    avg_satisfaction_1_5,
    developing_share,
    ldc_lldc_sids_share,
    women_share,
    suppressed,
    partially_suppressed
{%- endmacro %}
