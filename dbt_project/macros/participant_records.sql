{#
    participant_record_select(platform): the final select of an
    int_<platform>__participant_records model - the participant record contract
    (models/intermediate/participants/_participants__models.yml), one rule for every platform.

    The model defines a CTE `records` of the platform's record attributes as given, one row per
    source_record_key: full_name, first_name, last_name, name_latin, email, country_raw,
    gender_raw, organization, organization_type, city. Kept: every record of the platform
    that takes part in a participation (read from the int_participations_unioned table, so
    the participation rules run once), with NULL attributes when the platform gives none.
    Added here: the normalized names, the Latin-script form, the e-mail's parts, the ISO
    country (country aliases) and the gender (gender codes).
#}
{% macro participant_record_select(platform) -%}
select
    participations.platform,
    participations.source_record_key,
    records.full_name,
    records.first_name,
    records.last_name,
    records.name_latin,
    {{ normalize_text('records.full_name') }} as name_normalized,
    {{ normalize_text('records.first_name') }} as first_name_normalized,
    {{ normalize_text('records.last_name') }} as last_name_normalized,
    {{ normalize_text('records.name_latin') }} as name_latin_normalized,
    -- a Latin-script form of the name for cross-script comparison: the transliteration given,
    -- else the name itself when it is written in Latin script
    coalesce(
        {{ normalize_text('records.name_latin') }},
        case
            when not regexp_matches(records.full_name, '[\p{Cyrillic}\p{Arabic}\p{Han}]')
                then {{ normalize_text('records.full_name') }}
        end
    ) as name_latin_or_native,
    records.email,
    nullif(split_part(records.email, '@', 1), '') as email_local,
    nullif(lower(split_part(records.email, '@', 2)), '') as email_domain,
    records.country_raw,
    country_aliases.iso2 as country,
    records.gender_raw,
    case
        when {{ normalize_key('records.gender_raw') }} is null then 'unknown'
        else coalesce(gender_codes.gender, 'unknown')
    end as gender,
    gender_codes.raw_key is not null or {{ normalize_key('records.gender_raw') }} is null
        as is_gender_mapped,
    records.organization,
    {{ normalize_key('records.organization') }} as organization_normalized,
    records.organization_type,
    records.city
from (
    select distinct
        platform,
        source_record_key
    from {{ ref('int_participations_unioned') }}
    where platform = '{{ platform }}'
) as participations
left join records
    on participations.source_record_key = records.source_record_key
left join {{ ref('int_country_aliases_normalized') }} as country_aliases
    on {{ normalize_key('records.country_raw') }} = country_aliases.alias_key
left join {{ ref('int_gender_codes_normalized') }} as gender_codes
    on {{ normalize_key('records.gender_raw') }} = gender_codes.raw_key
{%- endmacro %}
