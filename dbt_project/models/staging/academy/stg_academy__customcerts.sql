with

source as (

    select * from {{ current_rows('academy', 'customcerts') }}

),

renamed as (

    select
        id as customcert_id,
        course as course_id,
        name as certificate_name,
        coursemodule as course_module_id,
        _batch_id,
        _loaded_at
    from source
    where id is not null
    qualify
        row_number() over (
            partition by id order by _loaded_at desc, _batch_id desc, _row_number desc
        ) = 1

)

select * from renamed
