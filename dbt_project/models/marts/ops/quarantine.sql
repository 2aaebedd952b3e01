-- One row per quarantined raw-zone row and reason: batch, row, rule and counts for everyone; the
-- row itself (names, e-mails) stays in the private tier (private.quarantine_rows). A reason is
-- published without the value that failed ("unknown country: Xanadu" -> "unknown country").
with

reasons as (

    select
        platform,
        entity,
        batch_id,
        _row_number,
        source,
        loaded_at,
        unnest(coalesce(nullif(reasons, []), ['(no reason given)'])) as reason
    from {{ ref('quarantine_rows') }}

)

select
    md5(coalesce(batch_id, '') || '|' || coalesce(cast(_row_number as varchar), '') || '|' || reason)
        as quarantine_key,
    platform,
    entity,
    batch_id,
    _row_number,
    regexp_replace(reason, ':.*$', '', 's') as reason,
    source,
    loaded_at
from reasons
