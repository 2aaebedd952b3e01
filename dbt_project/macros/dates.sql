{# Unix epoch seconds -> timestamp with time zone; 0 / NULL / negative mean "never" -> NULL. #}
{% macro epoch_to_timestamp(expr) -%}
    case when {{ expr }} > 0 then to_timestamp({{ expr }}) end
{%- endmacro %}


{# Unix epoch seconds -> calendar date in the given IANA time zone (0 -> NULL). #}
{% macro epoch_to_local_date(expr, tz) -%}
    case when {{ expr }} > 0 then cast(timezone('{{ tz }}', to_timestamp({{ expr }})) as date) end
{%- endmacro %}


{#
    parse_date_range(expr, part): start ('start') or end ('end') date of a free-text date
    range as written in seminar workbooks and exports, e.g.
        14-18 March 2024 · 14/03/2024 - 18/03/2024 · du 14 au 18 mars 2024
        28 février - 3 mars 2024 · March 14-18, 2024 · del 14 al 18 de marzo de 2024
        2024-03-14 · 30 December 2023 - 2 January 2024
    Numeric dates are read day first (dd/mm/yyyy, dd.mm.yyyy) unless ISO (yyyy-mm-dd).
    Month names in English, French, Spanish (full or abbreviated). NULL when unparseable.
#}
{% macro parse_date_range(expr, part) -%}
    {%- set idx = '1' if part == 'start' else '-1' -%}
    {%- set text = 'strip_accents(lower(' ~ expr ~ '))' -%}
    {%- set iso = "regexp_extract_all(" ~ text ~ ", '\\d{4}-\\d{1,2}-\\d{1,2}')" -%}
    {%- set dmy = "regexp_extract_all(" ~ text ~ ", '\\d{1,2}[/.]\\d{1,2}[/.]\\d{4}')" -%}
    {#- words and numbers; month names become '#MM#' tokens, other words are dropped -#}
    {%- set tokens -%}
        list_filter(
            list_transform(
                regexp_extract_all({{ text }}, '\d{4}|\d{1,2}|[a-z]{3,}'),
                lambda tok: case
                    when regexp_full_match(tok, '\d+') then tok
                    when regexp_matches(tok, '^(jan|ene)') then '#01#'
                    when regexp_matches(tok, '^(feb|fev)') then '#02#'
                    when regexp_matches(tok, '^mar') then '#03#'
                    when regexp_matches(tok, '^(apr|avr|abr)') then '#04#'
                    when regexp_matches(tok, '^(may|mai)') then '#05#'
                    when regexp_matches(tok, '^(jun|juin)') then '#06#'
                    when regexp_matches(tok, '^(jul|juil)') then '#07#'
                    when regexp_matches(tok, '^(aug|aou|ago)') then '#08#'
                    when regexp_matches(tok, '^(sep|set)') then '#09#'
                    when regexp_matches(tok, '^oct') then '#10#'
                    when regexp_matches(tok, '^nov') then '#11#'
                    when regexp_matches(tok, '^(dec|dic)') then '#12#'
                end
            ),
            lambda tok: tok is not null
        )
    {%- endset -%}
    case
        when len({{ iso }}) > 0
            then try(cast({{ iso }}[{{ idx }}] as date))
        when len({{ dmy }}) > 0
            then try(make_date(
                cast(regexp_extract({{ dmy }}[{{ idx }}], '(\d{4})$', 1) as integer),
                cast(regexp_extract({{ dmy }}[{{ idx }}], '^\d{1,2}[/.](\d{1,2})', 1) as integer),
                cast(regexp_extract({{ dmy }}[{{ idx }}], '^(\d{1,2})', 1) as integer)
            ))
        else try(make_date(
            cast(list_filter({{ tokens }}, lambda t: length(t) = 4 and t[1] != '#')[{{ idx }}] as integer),
            cast(replace(list_filter({{ tokens }}, lambda t: t[1] = '#')[{{ idx }}], '#', '') as integer),
            cast(list_filter({{ tokens }}, lambda t: length(t) <= 2)[{{ idx }}] as integer)
        ))
    end
{%- endmacro %}
