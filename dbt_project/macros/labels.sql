{#
    The English label of a code, read from reference.code_labels (the one place labels are
    joined: every mart's <code>_label column comes from these two macros).

      code_label(vocabulary, column)   the label of one code; NULL when the code is NULL or
                                       not in the list (tests/integration/test_vocabulary.py
                                       flags such codes).
      code_labels(vocabulary, column)  the labels of a list of codes, in the list's order;
                                       NULL for a NULL list, [] for an empty one.
#}
{% macro code_label(vocabulary, column) -%}
    (
        select code_labels.label_en
        from {{ ref('code_labels') }} as code_labels
        where code_labels.vocabulary = '{{ vocabulary }}' and code_labels.code = {{ column }}
    )
{%- endmacro %}

{% macro code_labels(vocabulary, column) -%}
    case
        when {{ column }} is not null
            then coalesce((
                select list(code_labels.label_en order by codes.position)
                from (
                    select
                        unnest({{ column }}) as code,
                        generate_subscripts({{ column }}, 1) as position
                ) as codes
                left join {{ ref('code_labels') }} as code_labels
                    on code_labels.vocabulary = '{{ vocabulary }}' and code_labels.code = codes.code
            ), [])
    end
{%- endmacro %}

{#
    category_label(dimension, category): the English label of a breakdown's category, when the
    category column holds codes of several lists, one per row (council.period_figures). The
    list is the one the dimension names: the dimension itself (topic, gender, overall...), else
    the dimension without its prefix (participant_region -> region), the rule by which
    ingestion/publish/vocabulary.py reads column names.
#}
{% macro category_label(dimension, category) -%}
    (
        select code_labels.label_en
        from {{ ref('code_labels') }} as code_labels
        where
            code_labels.code = {{ category }}
            and code_labels.vocabulary = case
                when {{ dimension }} in (select lists.vocabulary from {{ ref('code_labels') }} as lists)
                    then {{ dimension }}
                else regexp_replace({{ dimension }}, '^[a-z0-9]+_', '')
            end
    )
{%- endmacro %}
