with

source as (

    select * from {{ current_rows('academy', 'completions') }}

),

renamed as (

    select
        courseid as course_id,
        userid as user_id,
        completed as is_completed,
        aggregation as criteria_aggregation,
        {{ epoch_to_timestamp(
            "list_max(try_cast(json_extract_string(completions, '$[*].timecompleted') as bigint[]))"
        ) }} as completed_at,
        _batch_id,
        _loaded_at
    from source
    where courseid is not null and userid is not null
    qualify
        row_number() over (
            partition by courseid, userid order by _loaded_at desc, _batch_id desc, _row_number desc
        ) = 1

)

select * from renamed
