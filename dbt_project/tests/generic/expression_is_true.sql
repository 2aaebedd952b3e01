{#
    expression_is_true: every row (optionally filtered with `where`) satisfies the SQL
    expression. Usable on models and columns.
#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}
