{#
    The JSON-lines run log of identity resolution: identity_runs.jsonl next to the warehouse
    file. The Python model int_participant_clusters appends one line per run (it asks DuckDB for
    the same path); ops.identity_runs reads it. None for an in-memory warehouse.
#}
{% macro capdev_identity_run_log() -%}
    {%- if not execute -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set result = run_query(
        "select path from duckdb_databases() where database_name = current_database()"
    ) -%}
    {%- set path = result.columns[0].values()[0] -%}
    {%- if not path or path == ':memory:' -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return(path.rsplit('/', 1)[0] ~ '/identity_runs.jsonl') -}}
{%- endmacro %}
