-- The course vocabulary (seed course_terms) ready for matching in a normalized title padded
-- with spaces (' ... ', see the macro keyword_text): one needle per term, found with a plain
-- substring search (no regular expressions: one pass over titles x terms).
--   Latin and Cyrillic terms (en, fr, es, ru) match whole words: ' term '; a trailing '*' the
--     start of a word ('strateg*': strategy, strategies, strategic).
--   Arabic terms match at the end of a word whatever is attached in front of it (the article
--     ال and the particles و ب ل ف ك are written joined to the word): 'term '; a trailing '*'
--     also lets the word go on ('متقدم*': المتقدمة, متقدمين).
--   Chinese terms match anywhere (no spaces between words); the overlap model spaces titles
--     where Chinese characters meet Latin letters or digits, so an abbreviation written inside
--     a Chinese title ('PPP项目') is a whole word too.
with

keyed as (

    select
        lower(trim(kind)) as kind,
        lower(trim(code)) as code,
        lower(trim(language)) as language,
        term,
        -- normalize_key drops '*': hide it behind a letter run and put it back
        replace({{ normalize_key("replace(term, '*', ' zzstarzz ')") }}, ' zzstarzz', '*')
            as term_key
    from {{ ref('course_terms') }}

)

select distinct
    kind,
    code,
    language,
    term,
    case
        when language = 'zh' then replace(term_key, '*', '')
        when language = 'ar' and ends_with(term_key, '*') then left(term_key, -1)
        when language = 'ar' then term_key || ' '
        when ends_with(term_key, '*') then ' ' || left(term_key, -1)
        else ' ' || term_key || ' '
    end as needle
from keyed
where term_key is not null
