{#
    normalize_text(expr): the comparison form of free text (names, organizations, titles):
    lower case, accents stripped (DuckDB strip_accents + letters it leaves alone: ø ł đ ß æ œ
    þ ı, Arabic tatweel), blanks trimmed and runs of white space collapsed; '' -> NULL.
#}
{% macro normalize_text(expr) -%}
    nullif(trim(regexp_replace(
        strip_accents(replace(replace(replace(replace(replace(
            translate(lower({{ expr }}), 'øłđıħŧðـ', 'oldihtd'),
            'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th'), '’', '''')),
        '[\s\p{Z}]+', ' ', 'g')), '')
{%- endmacro %}


{#
    normalize_key(expr): normalize_text plus every run of punctuation turned into one space.
    The join key of the lookup seeds (country aliases, gender codes, taxonomy terms, regions):
    "Côte d’Ivoire", "COTE D'IVOIRE" and "Cote d Ivoire" all become "cote d ivoire".
#}
{% macro normalize_key(expr) -%}
    nullif(trim(regexp_replace({{ normalize_text(expr) }}, '[^\p{L}\p{N}]+', ' ', 'g')), '')
{%- endmacro %}


{# strip_html(expr): HTML tags removed, common entities decoded, white space collapsed. #}
{% macro strip_html(expr) -%}
    nullif(trim(regexp_replace(
        replace(replace(replace(replace(replace(replace(
            regexp_replace({{ expr }}, '<[^>]*>', ' ', 'g'),
            '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&'),
        '[\s\p{Z}]+', ' ', 'g')), '')
{%- endmacro %}


{#
    multilang(expr, lang): the text of one language in a Moodle multilang string, either
    <span lang="xx" class="multilang">...</span> (filter_multilang) or {mlang xx}...{mlang}
    (filter_multilang2). Language codes match by prefix: 'zh' also finds zh_cn / zh-tw.
    NULL when the string has no part in that language.
#}
{% macro multilang(expr, lang) -%}
    {{ strip_html(
        "coalesce(nullif(regexp_extract(" ~ expr ~ ", '(?is)<span[^>]*\\blang\\s*=\\s*[\"'']?" ~ lang ~ "[^\"''\\s>]*[\"'']?[^>]*>(.*?)</span>', 1), ''), "
        ~ "nullif(regexp_extract(" ~ expr ~ ", '(?is)\\{mlang\\s+" ~ lang ~ "[^}]*\\}(.*?)\\{mlang\\}', 1), ''))"
    ) }}
{%- endmacro %}


{#
    multilang_first(expr): the first language part of a multilang string, or the whole text
    (tags stripped) when it has no multilang markup.
#}
{% macro multilang_first(expr) -%}
    {{ strip_html(
        "coalesce(nullif(regexp_extract(" ~ expr ~ ", '(?is)<span[^>]*class\\s*=\\s*[\"'']?multilang[^>]*>(.*?)</span>', 1), ''), "
        ~ "nullif(regexp_extract(" ~ expr ~ ", '(?is)\\{mlang\\s+[^}]*\\}(.*?)\\{mlang\\}', 1), ''), "
        ~ expr ~ ")"
    ) }}
{%- endmacro %}


{#
    lang_map_value(json_expr, path, lang): the value for one language in an xAPI language
    map ({"en-US": "...", "fr": "..."}) at `path`; keys match 'lang' or 'lang-*'.
#}
{% macro lang_map_value(json_expr, path, lang) -%}
    json_extract_string(
        {{ json_expr }},
        '{{ path }}."' || list_filter(
            json_keys({{ json_expr }}, '{{ path }}'),
            lambda k: lower(k) = '{{ lang }}' or lower(k) like '{{ lang }}-%' or lower(k) like '{{ lang }}\_%' escape '\'
        )[1] || '"'
    )
{%- endmacro %}


{# keyword_text(expr): normalize_key padded with one space each side, for whole-word matching. #}
{% macro keyword_text(expr) -%}
    ' ' || coalesce({{ normalize_key(expr) }}, '') || ' '
{%- endmacro %}


{#
    script_spaced(expr): a space put where a Chinese character meets a letter or digit of
    another script. Chinese writes no spaces, also around a Latin abbreviation or a number
    ('5G网络', 'PPP项目'); spaced, these are whole words ('5g 网络') while runs of Chinese
    characters stay whole.
#}
{% macro script_spaced(expr) -%}
    regexp_replace(
        regexp_replace({{ expr }}, '(\p{Han})([^\p{Han}\s])', '\1 \2', 'g'),
        '([^\p{Han}\s])(\p{Han})', '\1 \2', 'g'
    )
{%- endmacro %}


{#
    title_languages(prefix): the languages (en, fr, es, ru, ar, zh) for which the columns
    <prefix>_en ... <prefix>_zh are not null, as a list.
#}
{% macro title_languages(prefix) -%}
    list_filter([
        {%- for lang in ['en', 'fr', 'es', 'ru', 'ar', 'zh'] %}
        case when {{ prefix }}_{{ lang }} is not null then '{{ lang }}' end{{ ',' if not loop.last }}
        {%- endfor %}
    ], lambda lang: lang is not null)
{%- endmacro %}
