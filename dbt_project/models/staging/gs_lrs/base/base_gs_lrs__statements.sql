{{
    config(
        materialized='incremental',
        unique_key='statement_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}
-- Every xAPI statement ever landed, flattened, voiding statements included. Incremental:
-- statements are immutable and their number only grows, so each build reads only the
-- batches landed since the previous build (by _loaded_at). Voided statements are removed
-- downstream (stg_gs_lrs__statements), because a voiding statement may land much later than
-- the statement it voids. Rebuild with --full-refresh after changing this model.
with

source as (

    select * from {{ read_raw('gs_lrs', 'statements') }}
    {% if is_incremental() %}
        where _loaded_at > (
            select coalesce(max(_loaded_at), cast('1970-01-01 00:00:00+00' as timestamp with time zone))
            from {{ this }}
        )
    {% endif %}

),

renamed as (

    select
        id as statement_id,
        json_extract_string(actor, '$.name') as actor_name,
        json_extract_string(actor, '$.mbox') as actor_mbox,
        json_extract_string(actor, '$.mbox_sha1sum') as actor_mbox_sha1sum,
        json_extract_string(actor, '$.openid') as actor_openid,
        json_extract_string(actor, '$.account.homePage') as actor_account_homepage,
        json_extract_string(actor, '$.account.name') as actor_account_name,
        coalesce(verb_id, json_extract_string(verb, '$.id')) as verb_id,
        coalesce(
            {{ lang_map_value('verb', '$.display', 'en') }},
            json_extract_string(verb, '$.display.*')[1]
        ) as verb_display,
        coalesce(json_extract_string(object, '$.objectType'), 'Activity') as object_type,
        json_extract_string(object, '$.id') as object_id,
        {{ lang_map_value('object', '$.definition.name', 'en') }} as object_name_en,
        {{ lang_map_value('object', '$.definition.name', 'fr') }} as object_name_fr,
        {{ lang_map_value('object', '$.definition.name', 'es') }} as object_name_es,
        {{ lang_map_value('object', '$.definition.name', 'ru') }} as object_name_ru,
        {{ lang_map_value('object', '$.definition.name', 'ar') }} as object_name_ar,
        {{ lang_map_value('object', '$.definition.name', 'zh') }} as object_name_zh,
        json_extract_string(object, '$.definition.name.*')[1] as object_name_first,
        json_keys(object, '$.definition.name') as object_name_languages,
        json_extract_string(object, '$.definition.type') as object_definition_type,
        try_cast(json_extract_string(result, '$.score.scaled') as double) as result_score_scaled,
        try_cast(json_extract_string(result, '$.score.raw') as double) as result_score_raw,
        try_cast(json_extract_string(result, '$.score.min') as double) as result_score_min,
        try_cast(json_extract_string(result, '$.score.max') as double) as result_score_max,
        try_cast(json_extract_string(result, '$.success') as boolean) as result_success,
        try_cast(json_extract_string(result, '$.completion') as boolean) as result_completion,
        json_extract_string(result, '$.duration') as result_duration,
        json_extract_string(context, '$.registration') as context_registration,
        json_extract_string(context, '$.platform') as context_platform,
        json_extract_string(context, '$.language') as context_language,
        json_extract_string(context, '$.contextActivities.parent[0].id') as context_parent_activity_id,
        -- grouping activities place the statement in a programme, a region...: their IRIs
        json_extract_string(context, '$.contextActivities.grouping[*].id') as context_grouping_ids,
        -- a scheduled activity's dates, from activity-definition extensions named *start-date
        -- / *end-date (the IRI's host is the LRS's own convention; the name is what matters)
        try_cast(regexp_extract(
            json_extract(object, '$.definition.extensions')::varchar,
            '"[^"]*start[-_]?date"\s*:\s*"([0-9]{4}-[0-9]{2}-[0-9]{2})', 1, 'i'
        ) as date) as object_start_date,
        try_cast(regexp_extract(
            json_extract(object, '$.definition.extensions')::varchar,
            '"[^"]*end[-_]?date"\s*:\s*"([0-9]{4}-[0-9]{2}-[0-9]{2})', 1, 'i'
        ) as date) as object_end_date,
        try_cast("timestamp" as timestamp with time zone) as statement_timestamp,  -- noqa: RF06
        try_cast(stored as timestamp with time zone) as stored_at,
        _batch_id,
        _loaded_at
    from source
    where id is not null

)

select
    *,
    -- the actor's identifier: the mbox IRI, else account homePage|name (other IFIs last)
    coalesce(
        actor_mbox,
        actor_account_homepage || '|' || actor_account_name,
        'mbox_sha1sum:' || actor_mbox_sha1sum,
        'openid:' || actor_openid
    ) as actor_key,
    lower(nullif(regexp_replace(actor_mbox, '^mailto:', '', 'i'), '')) as actor_email,
    verb_id = 'http://adlnet.gov/expapi/verbs/voided' as is_voiding,
    case
        when verb_id = 'http://adlnet.gov/expapi/verbs/voided' and object_type = 'StatementRef'
            then object_id
    end as voided_statement_id
from renamed
qualify
    row_number() over (
        partition by statement_id order by _loaded_at desc, _batch_id desc
    ) = 1
