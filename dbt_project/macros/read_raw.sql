{#
    read_raw(source_name, table_name)

    The `source` CTE of every staging model. Reads the accepted Parquet files of a raw-zone
    entity through the source's dbt-duckdb `external_location` and projects exactly the
    columns declared in the source YAML (name + data_type), so that

    - a platform without any batch yet (no file matches the glob) yields an empty relation
      with the declared columns and types instead of a "No files found" error;
    - a declared column missing from every landed file (e.g. an optional CSV column no office
      sent yet) is produced as a typed NULL;
    - a column landed with another physical type is cast (try_cast: the raw zone is validated
      upstream, and one odd value must not fail the whole warehouse build); JSON columns
      landed as nested Parquet types are serialized back to JSON text.

    Existence and physical types are checked at run time (inside `execute`), so adding the
    first batch of a platform needs no change to the project.
#}
{% macro read_raw(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute -%}
        {{- return('(select 1 as parse_placeholder) as raw_rows') -}}
    {%- endif -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name] -%}
    {%- set declared = [] -%}
    {%- for column in node.columns.values() -%}
        {%- do declared.append({'name': column.name, 'data_type': column.data_type}) -%}
    {%- endfor -%}
    {%- if declared | length == 0 -%}
        {{ exceptions.raise_compiler_error('Source ' ~ source_name ~ '.' ~ table_name ~ ' declares no columns.') }}
    {%- endif -%}
    {#- Lineage columns of every raw-zone row (docs/raw-zone.md), unless declared explicitly. -#}
    {%- set declared_names = declared | map(attribute='name') | map('lower') | list -%}
    {%- for name, type in capdev_lineage_columns() -%}
        {%- if name not in declared_names -%}
            {%- do declared.append({'name': name, 'data_type': type}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set pattern = capdev_relation_glob(relation) -%}
    {%- set existing = {} -%}
    {%- if capdev_glob_count(pattern) > 0 -%}
        {%- set described = run_query('describe select * from ' ~ relation) -%}
        {%- for row in described.rows -%}
            {%- do existing.update({row[0] | lower: row[1] | upper}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set projections = [] -%}
    {%- for column in declared -%}
        {%- set name = column.name | lower -%}
        {%- set wanted = (column.data_type or 'varchar') | upper -%}
        {%- set quoted = '"' ~ name ~ '"' -%}
        {%- if name not in existing -%}
            {%- do projections.append('cast(null as ' ~ wanted ~ ') as ' ~ quoted) -%}
        {%- elif existing[name] == wanted -%}
            {%- do projections.append(quoted) -%}
        {%- elif wanted == 'JSON' and (existing[name].startswith('STRUCT') or existing[name].endswith('[]') or existing[name].startswith('MAP')) -%}
            {%- do projections.append('to_json(' ~ quoted ~ ') as ' ~ quoted) -%}
        {%- else -%}
            {%- do projections.append('try_cast(' ~ quoted ~ ' as ' ~ wanted ~ ') as ' ~ quoted) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if existing | length > 0 -%}
        (select {{ projections | join(', ') }} from {{ relation }}) as raw_rows
    {%- else -%}
        (select {{ projections | join(', ') }} where false) as raw_rows
    {%- endif -%}
{%- endmacro %}


{# The file glob inside a dbt-duckdb external location such as read_parquet('<glob>', ...). #}
{% macro capdev_relation_glob(relation) -%}
    {%- set match = modules.re.search("read_(?:parquet|json|json_auto|csv)\\(\\s*'([^']+)'", relation | string) -%}
    {%- if match is none -%}
        {{ exceptions.raise_compiler_error('Cannot find a file glob in the external location ' ~ relation) }}
    {%- endif -%}
    {{- return(match.group(1)) -}}
{%- endmacro %}


{# Number of files matching a glob, checked at run time (0 at parse time). #}
{% macro capdev_glob_count(pattern) -%}
    {%- if not execute -%}
        {{- return(0) -}}
    {%- endif -%}
    {%- set result = run_query("select count(*) from glob('" ~ pattern | replace("'", "''") ~ "')") -%}
    {{- return(result.columns[0].values()[0] | int) -}}
{%- endmacro %}


{# The lineage columns every landed, accepted and quarantined row carries. #}
{% macro capdev_lineage_columns() -%}
    {{- return([
        ('_platform', 'VARCHAR'),
        ('_entity', 'VARCHAR'),
        ('_batch_id', 'VARCHAR'),
        ('_source', 'VARCHAR'),
        ('_row_number', 'BIGINT'),
        ('_loaded_at', 'TIMESTAMP WITH TIME ZONE'),
        ('_parse_error', 'VARCHAR'),
    ]) -}}
{%- endmacro %}


{#
    capdev_quarantine_parts(): the quarantine files to read, one entry per platform entity
    declared as a dbt source that has files under <raw_root>/quarantine/<platform>/<entity>/:
    {platform, entity, pattern, reasons (SQL for the `_reasons` list, tolerating JSON text),
    lineage (SQL per lineage column, NULL when a file lacks it)}. Empty at parse time.
#}
{% macro capdev_quarantine_parts() -%}
    {%- set parts = [] -%}
    {%- if not execute -%}
        {{- return(parts) -}}
    {%- endif -%}
    {%- for node in graph.sources.values() | sort(attribute='unique_id') -%}
        {%- if node.package_name == project_name -%}
            {%- set pattern = var('raw_root') ~ '/quarantine/' ~ node.source_name ~ '/' ~ node.name ~ '/*.parquet' -%}
            {%- if capdev_glob_count(pattern) > 0 -%}
                {%- set described = run_query("describe select * from read_parquet('" ~ pattern ~ "', union_by_name = true)") -%}
                {%- set types = {} -%}
                {%- for row in described.rows -%}
                    {%- do types.update({row[0] | lower: row[1] | upper}) -%}
                {%- endfor -%}
                {%- if '_reasons' not in types -%}
                    {%- set reasons = 'cast(null as varchar[])' -%}
                {%- elif types['_reasons'].endswith('[]') -%}
                    {%- set reasons = 'cast(quarantined_rows._reasons as varchar[])' -%}
                {%- else -%}
                    {%- set reasons = "coalesce(try(from_json(cast(quarantined_rows._reasons as varchar), '[\"VARCHAR\"]')), [cast(quarantined_rows._reasons as varchar)])" -%}
                {%- endif -%}
                {%- set lineage = {} -%}
                {%- for name, type in capdev_lineage_columns() -%}
                    {%- if name in types -%}
                        {%- do lineage.update({name: 'try_cast(quarantined_rows.' ~ name ~ ' as ' ~ type ~ ')'}) -%}
                    {%- else -%}
                        {%- do lineage.update({name: 'cast(null as ' ~ type ~ ')'}) -%}
                    {%- endif -%}
                {%- endfor -%}
                {%- do parts.append({
                    'platform': node.source_name, 'entity': node.name, 'pattern': pattern,
                    'reasons': reasons, 'lineage': lineage}) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(parts) -}}
{%- endmacro %}
