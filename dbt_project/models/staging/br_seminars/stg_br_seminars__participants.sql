-- Participants of the latest workbook of each seminar only: a re-sent workbook replaces the
-- whole list (rows missing from it are dropped, corrected rows replace the old ones).
with

source as (

    select * from {{ current_rows('br_seminars', 'participants') }}

),

renamed as (

    select
        seminar_key,
        source_file,
        -- 'N°' as written; Excel numbers read as text ('1.0') become '1'
        coalesce(
            cast(try_cast(try_cast(trim("no") as double) as bigint) as varchar),  -- noqa: RF06
            nullif(trim("no"), ''),  -- noqa: RF06
            'row' || _row_number
        ) as participant_no,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(country), '') as country_raw,
        nullif(trim(organization), '') as organization,
        lower(nullif(trim(email), '')) as email,
        nullif(trim(gender), '') as gender_raw,
        nullif(trim(exam), '') as exam_raw,
        {{ parse_number('exam') }} as exam_score,
        coalesce(upper(trim(exam)) in ('ABS', 'ABSENT', 'ABSENTE', 'ABSENTEE'), false) as is_exam_absent,
        nullif(trim(certificate), '') as certificate_raw,
        case
            when {{ normalize_key('certificate') }} in ('oui', 'yes', 'y', 'o', 'si', 'x', '1', 'true')
                then true
            when {{ normalize_key('certificate') }} in ('non', 'no', 'n', '0', 'false')
                then false
        end as is_certified,
        _row_number,
        _batch_id,
        _loaded_at
    from source
    where seminar_key is not null
    qualify
        dense_rank() over (
            partition by seminar_key order by _loaded_at desc, source_file desc
        ) = 1

)

select
    *,
    seminar_key || ':' || participant_no as source_record_key
from renamed
qualify
    row_number() over (
        partition by seminar_key, participant_no order by _batch_id desc, _row_number desc
    ) = 1
