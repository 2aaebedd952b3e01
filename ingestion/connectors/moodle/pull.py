"""An Academy pull in parts that land as they go (head, chunks of courses, certificates), and
the certificate issues paged by offset."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ingestion.connectors.base import (
    ApiConnection,
    EntityExtract,
    PullPart,
    aware,
    pull_whole,
    watermark_epoch,
)
from ingestion.connectors.moodle.client import PLATFORM, MoodleClient, _int
from ingestion.connectors.moodle.courses import _head, _refresh
from ingestion.connectors.moodle.records import (
    ENTITIES,
    SNAPSHOTS,
    _mark,
    _merge,
    _next_watermark,
    _Part,
)

log = logging.getLogger(__name__)
MAX_ISSUES_LIMIT = 500  # mod_customcert_list_issues clamps its limit to 500


def pull(
    conn: ApiConnection, watermarks: dict[str, str | None], until: datetime
) -> list[EntityExtract]:
    """Pull every academy entity incrementally, whole, in memory (see :func:`pull_parts`)."""
    return pull_whole(lambda: pull_parts(conn, watermarks, until), ENTITIES)


def pull_parts(
    conn: ApiConnection,
    watermarks: dict[str, str | None],
    until: datetime,
    state: dict[str, Any] | None = None,
) -> Iterator[PullPart]:
    """Pull every academy entity incrementally (module docstring), one part at a time.

    Parts: ``head`` (categories, courses, customcerts, and the plan: the refresh set, kept in
    the state so a resumed pull refreshes exactly the same courses), then one part per
    ``conn.courses_per_part`` courses of the plan (enrolled users, grades, completions), then
    ``certificates`` (which carries the pull's watermarks). ``state``: the state of the last
    part landed by an earlier try of the same pull; the pull goes on after it.
    """
    until_epoch = int(aware(until).timestamp())
    wm = {e: watermark_epoch(watermarks.get(e)) for e in ENTITIES}
    client = MoodleClient(conn)
    try:
        if state is None:
            head, state = _head(client, wm, until_epoch)
            yield head
        plan: list[dict[str, Any]] = state["plan"]
        size = max(1, conn.courses_per_part)
        while state["next"] < len(plan):
            begin = state["next"]
            chunk = plan[begin : begin + size]
            part, marks, calls = _refresh(client, chunk, wm["completions"], until_epoch)
            state = {**state, "next": begin + len(chunk), "marks": _merge(state["marks"], marks)}
            log.info(
                "%s: courses %d-%d of %d refreshed (%d completion calls)",
                PLATFORM,
                begin + 1,
                begin + len(chunk),
                len(plan),
                calls,
            )
            yield PullPart(f"courses-{begin // size:05d}", part.extracts(), state)
        if not state.get("done"):
            part, marks = _certificates(client, wm["certificates"], until_epoch)
            state = {**state, "done": True, "marks": _merge(state["marks"], marks)}
            final = {
                entity: {
                    "watermark_from": watermarks.get(entity),
                    "watermark_to": _next_watermark(
                        state["marks"].get(entity, 0), wm[entity], watermarks.get(entity)
                    ),
                }
                for entity in ENTITIES
                if entity not in SNAPSHOTS
            }
            yield PullPart("certificates", part.extracts(), state, final)
    finally:
        client.close()


def _certificates(
    client: MoodleClient, wm_certs: int | None, until: int
) -> tuple[_Part, dict[str, int]]:
    """Issues created in (wm, until], paged by offset (one page after another: the plugin pages
    newest-first, so a new issue shifts the offsets; issues are deduplicated by id)."""
    part = _Part()
    marks: dict[str, int] = {}
    limit = max(1, min(MAX_ISSUES_LIMIT, client.conn.page_size))
    offset = 0
    seen_issues: set[Any] = set()
    while True:
        args = {"timecreatedfrom": wm_certs or None, "limit": limit, "offset": offset}
        page_rows, page = client.fetch("mod_customcert_list_issues", args)
        source = part.page("certificates", page)
        page_rows = page_rows or []
        for row in page_rows:
            issue = row.get("issue") or {}
            user = row.get("user") or {}
            template = row.get("template") or {}
            created = _int(issue.get("timecreated"))
            if created > until or (wm_certs is not None and created <= wm_certs):
                continue
            if issue.get("id") in seen_issues:
                continue
            seen_issues.add(issue.get("id"))
            record = {
                "issue_id": issue.get("id"),
                "issue_customcertid": issue.get("customcertid"),
                "issue_code": issue.get("code"),
                "issue_emailed": issue.get("emailed"),
                "issue_timecreated": issue.get("timecreated"),
                "user_id": user.get("id"),
                "user_fullname": user.get("fullname"),
                "user_username": user.get("username"),
                "user_email": user.get("email"),
                "template_id": template.get("id"),
                "template_name": template.get("name"),
            }
            part.add("certificates", record, source)
            _mark(marks, until, "certificates", created)
        if len(page_rows) < limit:
            break
        offset += limit
    return part, marks
