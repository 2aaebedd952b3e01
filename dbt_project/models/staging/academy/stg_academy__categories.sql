with

source as (

    select * from {{ current_rows('academy', 'categories') }}

),

renamed as (

    select
        id as category_id,
        {{ multilang_first('name') }} as category_name,
        {{ strip_html('description') }} as category_description,
        nullif(parent, 0) as parent_category_id,
        sortorder as sort_order,
        coursecount as course_count,
        depth as category_depth,
        path as category_path,
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
