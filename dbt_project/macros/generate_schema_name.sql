{#
    Use the custom schema name verbatim (staging, intermediate, core, overlap, council, ops,
    reference): the warehouse is one file per build, so there is no need to prefix schemas
    with the target schema. `overlaps` is a reserved word in DuckDB: never a schema name.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {%- set name = custom_schema_name | trim | lower -%}
        {%- if name == 'overlaps' -%}
            {{ exceptions.raise_compiler_error("Schema name 'overlaps' is a reserved word in DuckDB; use 'overlap'.") }}
        {%- endif -%}
        {{ name }}
    {%- endif -%}
{%- endmacro %}
