{#
    Source freshness on raw-zone files. A platform that has no accepted batch yet has no
    file to read: report it as loaded at the Unix epoch (i.e. stale) instead of failing on
    "No files found".
#}
{% macro duckdb__collect_freshness(source, loaded_at_field, filter) %}
    {%- set pattern = none -%}
    {%- if source.external -%}
        {%- set pattern = capdev_relation_glob(source) -%}
    {%- endif -%}
    {% call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
        {%- if pattern is not none and capdev_glob_count(pattern) == 0 %}
            select
                cast('1970-01-01 00:00:00+00' as timestamp with time zone) as max_loaded_at,
                {{ current_timestamp() }} as snapshotted_at
        {%- else %}
            select
                max({{ loaded_at_field }}) as max_loaded_at,
                {{ current_timestamp() }} as snapshotted_at
            from {{ source }}
            {% if filter %}where {{ filter }}{% endif %}
        {%- endif %}
    {%- endcall %}
    {{ return(load_result('collect_freshness')) }}
{% endmacro %}
