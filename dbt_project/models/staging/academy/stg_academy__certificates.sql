with

source as (

    select * from {{ current_rows('academy', 'certificates') }}

),

renamed as (

    select
        issue_id as certificate_issue_id,
        issue_customcertid as customcert_id,
        issue_code,
        coalesce(issue_emailed = 1, false) as is_emailed,
        {{ epoch_to_timestamp('issue_timecreated') }} as issued_at,
        user_id,
        nullif(trim(user_fullname), '') as user_full_name,
        user_username,
        lower(nullif(trim(user_email), '')) as user_email,
        template_id,
        template_name,
        _batch_id,
        _loaded_at
    from source
    where issue_id is not null
    qualify
        row_number() over (
            partition by issue_id order by _loaded_at desc, _batch_id desc, _row_number desc
        ) = 1

)

select * from renamed
