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
