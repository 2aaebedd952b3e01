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
