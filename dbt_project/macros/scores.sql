{#
    normalize_score(value, scale_min, scale_max): a score on [scale_min, scale_max] mapped
    linearly onto 0-100 and clipped to that range. NULL when the value is NULL or the scale
    is degenerate (max <= min).
#}
{% macro normalize_score(value, scale_min, scale_max) -%}
    case
        when {{ value }} is not null and {{ scale_max }} > {{ scale_min }}
            then greatest(0.0, least(100.0,
                100.0 * (cast({{ value }} as double) - {{ scale_min }}) / ({{ scale_max }} - {{ scale_min }})
            ))
    end
{%- endmacro %}


{# parse_number(expr): text such as '15,5', ' 14.0 ', '4' -> double; anything else -> NULL. #}
{% macro parse_number(expr) -%}
    try_cast(replace(trim(cast({{ expr }} as varchar)), ',', '.') as double)
{%- endmacro %}


{#
    exact_sum(expr), exact_avg(expr): the sum / mean of a DOUBLE expression, the same whatever
    order the rows are added in. DuckDB adds doubles in the order its threads (and dbt's) hand
    them over, so two builds of the same data can differ in the last bits, and a figure rounded
    at a ...5 boundary then flips (avg_overlap_score 0.9 in one build, 0.899 in the next). Each
    value is fixed to 9 decimals as a DECIMAL first: sums of DECIMALs are exact.
#}
{% macro exact_sum(expr) -%}
    cast(sum(cast({{ expr }} as decimal(38, 9))) as double)
{%- endmacro %}


{% macro exact_avg(expr) -%}
    cast(avg(cast({{ expr }} as decimal(38, 9))) as double)
{%- endmacro %}
