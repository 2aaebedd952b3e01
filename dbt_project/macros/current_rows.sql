{#
    current_rows(source_name, table_name)

    The `source` CTE of every staging model: the raw rows of an entity (read_raw) reduced to the
    platform's current state by the entity's rule in the `current_state` var (dbt_project.yml):

    - latest (default): every landed row; the staging model keeps each key's latest version.
      Nothing is ever removed: for pulls of records a platform never deletes.
    - scoped_snapshot (scope: [columns]): each batch holds the whole current list of every scope
      value it has rows for, so a scope's rows come only from the latest batch holding it, and a
      row the source deleted disappears with the next pull of its scope. A release of
      quarantined rows (`<batch>__release_<n>`) belongs to its original batch.
    - within (parent, keys, parent_keys): rows are current only while their keys are among the
      parent entity's current rows (e.g. a completion status ends with the enrolment).
    - since_parent (parent, keys): each landing of a parent row comes with its whole list of
      rows here; rows landed on an earlier date than their parent's latest landing are gone
      (later rows are changes to single rows, e.g. attendance recorded).

    One rule per entity, declared in configuration: a new platform's deletions are a line of
    YAML, not a code branch.
#}
{% macro current_rows(source_name, table_name) -%}
    {%- set rule = (var('current_state').get(source_name) or {}).get(table_name) or {} -%}
    {%- set kind = rule.get('rule', 'latest') -%}
    {%- if kind == 'latest' -%}
        {{ read_raw(source_name, table_name) }}
    {%- elif kind == 'scoped_snapshot' -%}
        {%- set scope = rule['scope'] -%}
        (
            select * from {{ read_raw(source_name, table_name) }}
            qualify dense_rank() over (
                partition by {{ scope | join(', ') }}
                order by {{ capdev_delivery_key('_batch_id') }} desc
            ) = 1
        ) as current_rows
    {%- elif kind == 'within' -%}
        {%- set keys = rule['keys'] -%}
        {%- set parent_keys = rule.get('parent_keys', keys) -%}
        (
            select * from {{ read_raw(source_name, table_name) }}
            where exists (
                select 1 from (select * from {{ current_rows(source_name, rule['parent']) }}) as parent_rows
                where
                {%- for key in keys %}
                    {% if not loop.first %}and {% endif %}parent_rows.{{ parent_keys[loop.index0] }} = raw_rows.{{ key }}
                {%- endfor %}
            )
        ) as current_rows
    {%- elif kind == 'since_parent' -%}
        {%- set keys = rule['keys'] -%}
        (
            select * from {{ read_raw(source_name, table_name) }}
            where not exists (
                select 1 from (select * from {{ read_raw(source_name, rule['parent']) }}) as parent_rows
                where
                    {{ capdev_delivery_date('parent_rows._batch_id') }} > {{ capdev_delivery_date('raw_rows._batch_id') }}
                {%- for key in keys %}
                    and parent_rows.{{ key }} = raw_rows.{{ key }}
                {%- endfor %}
            )
        ) as current_rows
    {%- else -%}
        {{ exceptions.raise_compiler_error('current_state: unknown rule ' ~ kind ~ ' for ' ~ source_name ~ '.' ~ table_name) }}
    {%- endif -%}
{%- endmacro %}


{#
    The delivery a raw row belongs to, in delivery order: its batch id without a release suffix
    (batch ids end with the logical date, YYYYMMDD, so they sort by date within an entity).
#}
{% macro capdev_delivery_key(column) -%}
    regexp_replace({{ column }}, '__release_[0-9]+$', '')
{%- endmacro %}


{# The logical date (YYYYMMDD) of the batch a raw row belongs to: the third part of its id. #}
{% macro capdev_delivery_date(column) -%}
    split_part({{ column }}, '__', 3)
{%- endmacro %}
