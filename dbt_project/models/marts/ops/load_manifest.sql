{#
    One row per raw-zone batch, read from the load manifest JSON files
    (<CAPDEV_DATA_DIR>/manifest/<platform>/<entity>/<batch_id>.json). Columns are declared so
    the types are stable and a missing field is NULL; no manifest file yet -> an empty table.
#}
{%- set columns = [
    ('platform', 'VARCHAR'),
    ('entity', 'VARCHAR'),
    ('batch_id', 'VARCHAR'),
    ('load_date', 'DATE'),
    ('source', 'VARCHAR'),
    ('checksum', 'VARCHAR'),
    ('watermark_from', 'VARCHAR'),
    ('watermark_to', 'VARCHAR'),
    ('rows_in', 'BIGINT'),
    ('rows_accepted', 'BIGINT'),
    ('rows_quarantined', 'BIGINT'),
    ('rows_rejected', 'BIGINT'),
    ('rows_duplicate', 'BIGINT'),
    ('rows_erased', 'BIGINT'),
    ('rows_unchanged', 'BIGINT'),
    ('same_as', 'VARCHAR'),
    ('status', 'VARCHAR'),
    ('message', 'VARCHAR'),
    ('started_at', 'TIMESTAMP WITH TIME ZONE'),
    ('checked_at', 'TIMESTAMP WITH TIME ZONE'),
    ('finished_at', 'TIMESTAMP WITH TIME ZONE'),
] -%}
{%- set pattern = var('raw_root') ~ '/manifest/**/*.json' -%}

with

manifests as (

    {%- if capdev_glob_count(pattern) > 0 %}
    select
        {%- for name, type in columns %}
        {{ name }}{{ ',' if not loop.last }}
        {%- endfor %},
        filename as manifest_file
    from read_json(
        '{{ pattern }}',
        format = 'auto',
        filename = true,
        columns = {
            {%- for name, type in columns %}
            '{{ name }}': '{{ type }}'{{ ',' if not loop.last }}
            {%- endfor %}
        }
    )
    {%- else %}
    select
        {%- for name, type in columns %}
        cast(null as {{ type }}) as {{ name }},
        {%- endfor %}
        cast(null as varchar) as manifest_file
    where false
    {%- endif %}

)

select
    platform,
    entity,
    batch_id,
    load_date,
    source,
    checksum,
    watermark_from,
    watermark_to,
    rows_in,
    rows_accepted,
    rows_quarantined,
    rows_rejected,
    rows_duplicate,
    rows_erased,
    rows_unchanged,
    same_as,
    status,
    message,
    started_at,
    checked_at,
    finished_at,
    manifest_file
from manifests
-- a manifest rewritten under another name keeps one row per batch: the latest state wins
qualify
    row_number() over (
        partition by batch_id order by finished_at desc nulls last, started_at desc nulls last, manifest_file desc
    ) = 1
