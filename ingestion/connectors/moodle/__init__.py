"""ITU Academy: a Moodle 4.x Web Services REST client.

Every call is ``POST {site}/webservice/rest/server.php`` form-encoded with ``wstoken``,
``wsfunction``, ``moodlewsrestformat=json`` and the function arguments as PHP-style arrays
(``options[0][name]=limitfrom``). Moodle reports errors as HTTP 200 with an ``exception`` body,
so every JSON body is checked: ``invalidtoken`` raises :class:`AuthError`, ``nocriteriaset`` means
"no completion data" for that course, anything else raises :class:`MoodleException` (a
:class:`PlatformError` naming the function, its arguments and the errorcode).

Incremental rules (watermarks are epoch seconds as text; ``U`` = ``until`` as epoch):

* ``categories``, ``customcerts``: small reference lists, pulled in full every run.
* ``courses``: the whole list is fetched (the function has no filter); courses with
  ``timemodified`` in ``(watermark, U]`` are landed (first load: ``timemodified <= U``, so all
  but courses touched after the interval, which the next run lands). Nothing is dropped: the
  site course (id 1) is landed too; staging excludes it.
* ``enrolled_users`` and ``grades`` (snapshots per course) are pulled for the *refresh set*:
  every course except the site course whose ``timemodified`` is after ``W``, or that is still
  running (``enddate`` 0 or ``enddate >= W - 30 days``); ``W`` is the oldest of the
  ``enrolled_users`` / ``grades`` / ``completions`` watermarks (None on a first load: every
  course). The 30-day grace catches late grading and enrolment clean-up after a course ends.
* ``completions``: one call per (course, user), so the cost is bounded: only courses of the
  refresh set with ``enablecompletion = 1``, and only users whose ``lastcourseaccess`` (or
  ``lastaccess`` when the course access is unknown) is after the completions watermark, or who
  were graded in that course after it (teacher-marked completion without a visit). First load:
  every enrolled user of those courses.
* ``certificates``: ``mod_customcert_list_issues(timecreatedfrom=watermark)`` paged by offset;
  issues with ``timecreated`` in ``(watermark, U]`` are landed (deduplicated by issue id, since
  the plugin pages newest-first and a new issue shifts the offsets).

The pull comes in parts that land as they go (:func:`pull_parts`, ``docs/raw-zone.md``): a
retried task resumes after the last landed part. The calls of a chunk of courses go
``max_in_flight`` at a time; records keep the course order, whatever order the answers arrive in.
Completion calls are not skipped for users who never opened a course and were never graded:
criteria met without the learner (manual completion by others, a date, an enrolment duration,
other courses) make the answer unknown from the data already fetched.

``watermark_to`` comes from the data pulled, capped at ``U``: max ``timemodified`` of the
landed courses, max ``timecreated`` of the landed issues; for the snapshot entities the latest
activity timestamp seen (user access, grading, completion); the previous watermark when nothing
newer was seen.

The package: ``client`` (the REST client), ``records`` (the entities, their fields, a part's
records and the watermark marks), ``courses`` (the head and the per-course refresh) and ``pull``
(:func:`pull_parts`, the certificates).
"""

from __future__ import annotations

from ingestion.connectors.moodle.client import (
    PLATFORM,
    WS_PATH,
    MoodleClient,
    MoodleException,
    php_params,
    ws_url,
)
from ingestion.connectors.moodle.courses import is_site_course, refresh_courses
from ingestion.connectors.moodle.pull import pull, pull_parts
from ingestion.connectors.moodle.records import ENTITIES, SNAPSHOTS

__all__ = [
    "ENTITIES",
    "PLATFORM",
    "SNAPSHOTS",
    "WS_PATH",
    "MoodleClient",
    "MoodleException",
    "is_site_course",
    "php_params",
    "pull",
    "pull_parts",
    "refresh_courses",
    "ws_url",
]
