"""TSB workshops, tutorials and trainings: the events registration REST API (our contract).

``GET {root}/api/v1/events?updated_since=&page_size=&cursor=`` and
``GET {root}/api/v1/events/{event_id}/registrations?page_size=&cursor=``, bearer token, answers
``{"data": [...], "next_cursor": ...}``.

Incremental rules (watermarks are ISO 8601 UTC text; ``U`` = ``until``):

* ``events``: listed with ``updated_since=<watermark - 30 days>`` (omitted on a first load);
  events with ``updated_at`` in ``(watermark, U]`` are landed (events updated after ``U`` are
  left to the next run). ``watermark_to`` = max ``updated_at`` landed.
* ``registrations``: the registrations endpoint has no change filter, so the full list of every
  event listed (updated in ``(watermark - 30 days, U]``) is read and the registrations whose
  own ``updated_at`` is in ``(registrations watermark, U]`` are landed (each version once).
  The 30-day look-back is there because a registration changes (attendance recorded, late
  cancellation) without the event being edited: it is caught as long as it changes within 30
  days of the event's last edit (the sandbox records attendance within ~10 days of the end).
  For an event landed in this run (changed in the window) the *whole* list is landed
  (registrations updated after ``U`` excepted): our contract moves an event's ``updated_at``
  when its registration list changes, so a deleted registration is absent from the next whole
  list, and the warehouse drops the registrations landed before the event's latest landing
  (``current_state`` in dbt_project.yml, docs/raw-zone.md).
  ``watermark_to`` = max ``updated_at`` of the registrations landed.
* An expired cursor (``410 Gone``) restarts the listing from the watermark (at most
  ``MAX_RESTARTS`` times per listing); rows are deduplicated by id within the pull (the latest
  ``updated_at`` wins), the pages of the aborted pass stay archived.

The pull lands as it goes (:func:`pull_parts`): the events listing, then the registration lists
of ``events_per_part`` listed events a part; a retried task goes on after the last landed part.

The package: ``listing`` (the API's root, a cursor listing and what the events and registration
listings keep), ``records`` (the rows as records) and ``pull`` (:func:`pull_parts`).
"""

from __future__ import annotations

from ingestion.connectors.tsb_events.listing import (
    API_PREFIX,
    LOOKBACK,
    MAX_RESTARTS,
    PLATFORM,
    api_root,
)
from ingestion.connectors.tsb_events.pull import ENTITIES, pull, pull_parts
from ingestion.connectors.tsb_events.records import flatten_event, flatten_registration

__all__ = [
    "API_PREFIX",
    "ENTITIES",
    "LOOKBACK",
    "MAX_RESTARTS",
    "PLATFORM",
    "api_root",
    "flatten_event",
    "flatten_registration",
    "pull",
    "pull_parts",
]
