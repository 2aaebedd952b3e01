{#
    Aggregates whose result never depends on the order rows reach them. DuckDB (and dbt, on
    two threads) hands rows to an aggregate in no fixed order: a tie or a sum of doubles would
    otherwise give two builds of the same data different published figures
    (docs/operations.md, "The same rows at any thread count").

    most_frequent(expr): the most frequent value; of equally frequent ones, the first in sort
    order.
    latest(expr, time): the value at the latest time; of values at the same time, the last in
    sort order.
    exact_sum(expr), exact_avg(expr): the sum / mean of a DOUBLE expression, each value fixed
    to 9 decimals as a DECIMAL first (sums of DECIMALs are exact; a mean of doubles rounded at
    a ...5 boundary read 0.9 in one build and 0.899 in the next).
#}
{% macro most_frequent(expr) -%}
    mode({{ expr }} order by {{ expr }})
{%- endmacro %}


{% macro latest(expr, time) -%}
    arg_max({{ expr }}, ({{ time }}, {{ expr }}))
{%- endmacro %}


{% macro exact_sum(expr) -%}
    cast(sum(cast({{ expr }} as decimal(38, 9))) as double)
{%- endmacro %}


{% macro exact_avg(expr) -%}
    cast(avg(cast({{ expr }} as decimal(38, 9))) as double)
{%- endmacro %}
