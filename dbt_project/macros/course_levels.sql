{#
    level_number(text_expr): the course level a title states by its number, 1..3, or NULL.
    text_expr is keyword_text (normalized, padded with spaces). A level word of var
    overlap_level_words ('level', 'niveau', 'nivel', 'уровень', 'المستوى'...) next to 1, 2 or 3
    (also Roman I-III and Arabic-Indic digits), in either order and with an ordinal ending
    ('Level 2', 'niveau II', '2e niveau', '2-й уровень', 'المستوى ٢'). Catalogues number their
    levels this way in every language; the number indexes var overlap_numbered_levels.
#}
{% macro level_number(text_expr) -%}
    {%- set words = var('overlap_level_words') | join('|') -%}
    {%- set number = "(1|2|3|i|ii|iii|١|٢|٣)" -%}
    case coalesce(
        nullif(regexp_extract({{ text_expr }}, ' (?:{{ words }}) {{ number }} ', 1), ''),
        nullif(regexp_extract(
            {{ text_expr }}, ' {{ number }}(?: ?(?:st|nd|rd|er|re|e|eme|ieme|й|го))? (?:{{ words }}) ', 1
        ), '')
    )
        when '1' then 1 when 'i' then 1 when '١' then 1
        when '2' then 2 when 'ii' then 2 when '٢' then 2
        when '3' then 3 when 'iii' then 3 when '٣' then 3
    end
{%- endmacro %}
