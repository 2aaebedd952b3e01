-- Course totals only (itemtype 'course'): the one grade per user and course the marts use.
with

source as (

    select * from {{ current_rows('academy', 'grades') }}

),

renamed as (

    select
        courseid as course_id,
        userid as user_id,
        nullif(trim(userfullname), '') as user_full_name,
        itemid as grade_item_id,
        graderaw as grade_raw,
        grademin as grade_min,
        grademax as grade_max,
        {{ epoch_to_timestamp('gradedategraded') }} as graded_at,
        percentageformatted as percentage_formatted,
        _batch_id,
        _loaded_at
    from source
    where
        courseid is not null
        and userid is not null
        and lower(itemtype) = 'course'
    qualify
        row_number() over (
            partition by courseid, userid order by _loaded_at desc, _batch_id desc, _row_number desc
        ) = 1

)

select * from renamed
