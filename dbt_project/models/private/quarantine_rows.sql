{#
    Private tier (never published). One row per quarantined raw-zone row, from
    <CAPDEV_DATA_DIR>/quarantine/<platform>/<entity>/*.parquet (rows that failed validation,
    with their `_reasons` list). row_json is the whole quarantined row (its landed columns and
    lineage) as JSON: names and e-mail addresses included, for the data team only. Entities are
    those declared as dbt sources; missing files are skipped. ops.quarantine publishes the same
    rows without their payload.
#}
{%- set parts = capdev_quarantine_parts() %}

with

quarantined as (

    {% if parts | length > 0 %}
    {% for part in parts %}
    select
        coalesce({{ part.lineage['_platform'] }}, '{{ part.platform }}') as platform,
        coalesce({{ part.lineage['_entity'] }}, '{{ part.entity }}') as entity,
        {{ part.lineage['_batch_id'] }} as batch_id,
        {{ part.lineage['_row_number'] }} as _row_number,
        {{ part.lineage['_source'] }} as source,
        {{ part.lineage['_loaded_at'] }} as loaded_at,
        {{ part.reasons }} as reasons,
        cast(to_json(quarantined_rows) as varchar) as row_json
    from read_parquet('{{ part.pattern }}', union_by_name = true, hive_partitioning = false) as quarantined_rows
    {% if not loop.last %}
    union all
    {% endif %}
    {% endfor %}
    {% else %}
    select
        cast(null as varchar) as platform,
        cast(null as varchar) as entity,
        cast(null as varchar) as batch_id,
        cast(null as bigint) as _row_number,
        cast(null as varchar) as source,
        cast(null as timestamp with time zone) as loaded_at,
        cast(null as varchar[]) as reasons,
        cast(null as varchar) as row_json
    where false
    {% endif %}

)

select * from quarantined
