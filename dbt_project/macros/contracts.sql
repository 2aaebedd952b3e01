{#
    contract_select(relation): `select` of the current model's declared columns, in their
    declared order, each cast to its declared data_type, from `relation` (a CTE name).

    It holds models that share a column contract in their property file (a YAML anchor, e.g.
    the int_<platform>__activities models) to that contract: the same columns, order and types
    whatever their SQL computes, so a union of them can go by position; a column missing from
    the SQL fails the build. dbt enforces no contract on ephemeral models, hence the macro.
#}
{% macro contract_select(relation) -%}
    {%- if model.resource_type == 'unit_test' -%}
        {#- a dbt unit test of the model checks the values its SQL computes: its node is the
            test's and has no column list; the build holds the model to its contract -#}
        {%- do return('select * from ' ~ relation) -%}
    {%- endif -%}
    {%- set columns = model.columns.values() | list -%}
    {%- if execute and not columns -%}
        {{ exceptions.raise_compiler_error(model.name ~ ": contract_select needs the model's columns in its yml") }}
    {%- endif %}
select
    {%- for column in columns %}
    {%- if execute and not column.data_type %}
        {{ exceptions.raise_compiler_error(model.name ~ "." ~ column.name ~ ": no data_type") }}
    {%- endif %}
    cast({{ column.name }} as {{ column.data_type }}) as {{ column.name }}{{ "," if not loop.last }}
    {%- endfor %}
from {{ relation }}
{%- endmacro %}


{#
    union_platforms(suffix, by_name): the int_<platform>__<suffix> model of every platform of
    var platforms, one after another. by_name: `union all by name` (models on an enforced
    contract); else `union all` by position (models held to theirs by contract_select).
#}
{% macro union_platforms(suffix, by_name=true) -%}
    {%- for platform in var('platforms') %}
select * from {{ ref('int_' ~ platform ~ '__' ~ suffix) }}
        {%- if not loop.last %}
union all{{ ' by name' if by_name }}
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
