{#
    Source freshness on raw-zone files: the newest of the entity's accepted rows' load time
    (`loaded_at_field`) and the last time a pull found nothing new to land (`checked_at` of its
    manifest records: an empty pull, or a full-state pull identical to the last accepted batch,
    recorded `unchanged`; docs/raw-zone.md). A platform read every night whose data did not
    change is fresh; one that was not read is stale. A platform that has no accepted batch and
    no such record yet is reported as loaded at the Unix epoch (i.e. stale) instead of failing
    on "No files found".
#}
{% macro duckdb__collect_freshness(source, loaded_at_field, filter) %}
    {%- set pattern = none -%}
    {%- set checks = none -%}
    {%- if source.external -%}
        {%- set pattern = capdev_relation_glob(source) -%}
        {#- .../raw/accepted/<platform>/<entity>/... -> that entity's manifest records -#}
        {%- set match = modules.re.search('/raw/accepted/([^/]+)/([^/]+)/', pattern) -%}
        {%- if match is not none -%}
            {%- set checks = var('raw_root') ~ '/manifest/' ~ match.group(1) ~ '/' ~ match.group(2) ~ '/*.json' -%}
            {%- if capdev_glob_count(checks) == 0 -%}
                {%- set checks = none -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- set has_rows = pattern is none or capdev_glob_count(pattern) > 0 -%}
    {% call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
        select
            coalesce(
                max(loaded_at),
                cast('1970-01-01 00:00:00+00' as timestamp with time zone)
            ) as max_loaded_at,
            {{ current_timestamp() }} as snapshotted_at
        from (
            {%- if has_rows %}
            select max({{ loaded_at_field }}) as loaded_at
            from {{ source }}
            {% if filter %}where {{ filter }}{% endif %}
            {%- else %}
            select cast(null as timestamp with time zone) as loaded_at
            {%- endif %}
            {%- if checks is not none %}
            union all
            select max(checked_at) as loaded_at
            from read_json(
                '{{ checks }}',
                format = 'auto',
                columns = {'checked_at': 'TIMESTAMP WITH TIME ZONE'}
            )
            {%- endif %}
        ) as load_times
    {%- endcall %}
    {{ return(load_result('collect_freshness')) }}
{% endmacro %}
