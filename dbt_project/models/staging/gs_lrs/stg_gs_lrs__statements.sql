-- xAPI statements that count: voided statements and the voiding statements themselves are
-- removed (xAPI 1.0.3, 2.2.5: a voided statement must not be considered).
with

source as (

    select * from {{ ref('base_gs_lrs__statements') }}

),

voided as (

    select distinct voided_statement_id as statement_id
    from source
    where is_voiding and voided_statement_id is not null

),

renamed as (

    select
        source.statement_id,
        source.actor_key,
        source.actor_name,
        source.actor_email,
        source.actor_mbox,
        source.actor_account_homepage,
        source.actor_account_name,
        source.verb_id,
        lower(regexp_extract(source.verb_id, '([^/#]+)$', 1)) as verb,
        source.verb_display,
        source.object_type,
        source.object_id,
        source.object_name_en,
        source.object_name_fr,
        source.object_name_es,
        source.object_name_ru,
        source.object_name_ar,
        source.object_name_zh,
        coalesce(source.object_name_en, source.object_name_first) as object_name,
        source.object_name_languages,
        source.object_definition_type,
        source.result_score_scaled,
        source.result_score_raw,
        source.result_score_min,
        source.result_score_max,
        source.result_success,
        source.result_completion,
        source.result_duration,
        source.context_registration,
        source.context_platform,
        source.context_language,
        source.context_parent_activity_id,
        source.context_grouping_ids,
        source.object_start_date,
        source.object_end_date,
        source.statement_timestamp,
        source.stored_at,
        source._batch_id,
        source._loaded_at
    from source
    left join voided on source.statement_id = voided.statement_id
    where not source.is_voiding and voided.statement_id is null

)

select * from renamed
