-- The taxonomy terms ready for matching (docs/taxonomy.md): exact terms under their
-- normalized key; keywords as a search on the normalized title padded with spaces (' ... '),
-- where '*' stands for any further letters of a word ('spectr*' matches spectre, spectrum;
-- 'smart cit*' smart cities). Chinese and Arabic keywords match as plain substrings (no
-- spaces between words, attached prefixes such as the article ال).
with

taxonomy_terms as (

    select * from {{ ref('taxonomy_terms') }}

),

terms_keyed as (

    select
        term,
        lower(trim(language)) as language,
        lower(trim(maps_to_kind)) as maps_to_kind,
        lower(trim(code)) as code,
        lower(trim(match)) as match_type,
        coalesce(priority, 50) as priority,
        replace(
            replace({{ normalize_key("replace(term, '*', ' zzstarzz ')") }}, ' zzstarzz', '*'),
            'zzstarzz',
            '*'
        ) as term_key
    from taxonomy_terms

)

select
    *,
    -- keywords are matched with plain substring search, except those with an inner '*'
    -- (e.g. 'цифров* трансформаци*'), matched with a regular expression
    contains(regexp_replace(term_key, '\*$', ''), '*') as needs_regex,
    case
        when language in ('zh', 'ar') then replace(term_key, '*', '')
        when ends_with(term_key, '*') then ' ' || left(term_key, -1)
        else ' ' || term_key || ' '
    end as needle,
    -- literal text up to the first '*' (a cheap filter before the regular expression)
    split_part(term_key, '*', 1) as literal_prefix,
    case
        when language in ('zh', 'ar')
            then replace(regexp_escape(term_key), '\*', '\p{L}*')
        else
            ' ' || replace(regexp_escape(term_key), '\*', '\p{L}*')
            || case when ends_with(term_key, '*') then '' else ' ' end
    end as keyword_pattern
from terms_keyed
where term_key is not null
