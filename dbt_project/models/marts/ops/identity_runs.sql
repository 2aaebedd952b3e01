{#
    One row per identity resolution run (the dbt Python model int_participant_clusters): how
    many records and distinct profiles, the method used (model / deterministic / none), why the
    deterministic rules decided alone when they did, the attributes present, links, persons,
    the reviewed decisions given / applied / naming a missing record / refused, and seconds. Read from the run log the Python model appends to (macro capdev_identity_run_log),
    so dbt stays the one writer of the warehouse. Holds counts only.
#}
{%- set columns = [
    ('records', 'BIGINT'),
    ('profiles', 'BIGINT'),
    ('method', 'VARCHAR'),
    ('reason', 'VARCHAR'),
    ('attributes', 'VARCHAR'),
    ('links', 'BIGINT'),
    ('persons', 'BIGINT'),
    ('decisions', 'BIGINT'),
    ('decisions_applied', 'BIGINT'),
    ('decisions_unknown', 'BIGINT'),
    ('decisions_refused', 'BIGINT'),
    ('seconds', 'DOUBLE'),
    ('finished_at', 'TIMESTAMP WITH TIME ZONE'),
] -%}
{%- set run_log = capdev_identity_run_log() %}
-- depends_on: {{ ref('int_participant_clusters') }}

with

runs as (

    {%- if run_log and capdev_glob_count(run_log) > 0 %}
    select
        {%- for name, type in columns %}
        {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from read_json(
        '{{ run_log }}',
        format = 'newline_delimited',
        columns = {
            {%- for name, type in columns %}
            '{{ name }}': '{{ type }}'{{ ',' if not loop.last }}
            {%- endfor %}
        }
    )
    {%- else %}
    select
        {%- for name, type in columns[:-1] %}
        cast(null as {{ type }}) as {{ name }},
        {%- endfor %}
        cast(null as timestamp with time zone) as finished_at
    where false
    {%- endif %}

)

select * from runs
order by finished_at
