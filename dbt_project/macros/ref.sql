{#
    Render refs to relations of this warehouse without the catalog name.

    dbt-duckdb names the catalog after the file (`build` for build.duckdb). The pipeline builds
    into build.duckdb and publishes it by renaming it (capdev.duckdb): views that referred to
    "build"."core"."x" would break in the published file. Unqualified schema.table names
    resolve in whichever file the view lives in.
#}
{% macro ref() %}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if relation is not none and relation.database is not none
          and relation.database | lower == target.database | lower -%}
        {%- do return(relation.include(database=False)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{% endmacro %}
