"""BR radiocommunication seminars: one workbook per seminar dropped in the BR inbox.

``.xlsx`` (read with openpyxl, which exposes merged cells) or, for older years, ``.csv``
(cp1252, ``;``). Labels are configuration: ``ingestion/mappings/br_seminars.yml``.

* Sheet ``Seminar``: key/value rows (``Seminar / Séminaire``, ``Type``, ``Dates``,
  ``Venue / Lieu``, ``Region / Région``) → one ``seminars`` record. A legacy CSV carries them in
  a **sidecar** next to it (``<stem>.meta.csv``, key;value rows, same encoding; other accepted
  names in the YAML; a re-send without its own sidecar uses the original's), or as key;value
  rows above its header. The reader returns the CSV's own participants and the seminar row
  built from the sidecar; the sidecar's bytes also travel as a :class:`RawPage` of the
  ``seminars`` extract, for a landing that wants to archive them (``list_drops`` never lists a
  sidecar on its own).
* Sheet ``Participants``: one to three title rows above a bilingual header, sometimes merged.
  Merged ranges are filled with their top-left value; the header is the row (or pair of rows)
  whose cells match the most known labels; header-like rows right below it (an English row
  under a French one) are skipped. Every following non-empty row is one ``participants``
  record, every value as text as shown in the sheet (numbers without a spurious ``.0``, dates as
  ISO). Rows with only a running number and nothing else (an unused template line) are skipped;
  a row with text only outside the participant columns (a note) is kept with ``_parse_error``.
* ``seminar_key`` = the file stem without a re-send suffix (``WRS-2024-Geneva_v2`` →
  ``WRS-2024-Geneva``; the regex is ``resend_suffix`` in the YAML). A re-sent workbook lands as
  its own batch with the same key; staging keeps the latest (:func:`resend_rank` orders them).

Structural problems (not a workbook, a truncated one, no participant sheet, no header, a
required column missing — every contract column but ``N°``; a legacy CSV that cannot be read to
its end: a CSV syntax error or an unbalanced quote, with the line) raise :class:`PlatformError`:
the whole file is rejected. Any other error while reading a file becomes a
:class:`PlatformError` too, never another exception type. A zero-byte file gives empty extracts.
Row-level problems set ``_parse_error`` on the row, which is kept for validation to quarantine:
in a CSV, a wrong field count or undecodable bytes; in a workbook, a formula cell without a
cached value in a participant column (a tool that does not compute formulas saved it: the value
would otherwise land as a silent NULL; on the Seminar sheet it flags the seminar row); the
seminar row is also flagged ``invalid_date: dates '30 February 2024' ...`` when its ``Dates``
text names an impossible date or none that staging's ``parse_date_range`` can read
(:func:`seminar_dates_problem`, the raw text is kept). A
participant row that repeats an earlier row of the file exactly (every field, ``N°`` included;
not the row number) is dropped and counted in ``duplicates_dropped`` of the extract.

The package, by what each part does: ``config`` (the mapping file's labels), ``files`` (seminar
keys, re-sends, sidecars), ``layout`` (a grid's header, metadata and participant rows),
``workbook`` (openpyxl), ``legacy_csv``, ``records`` (the two extracts) and ``read``
(:func:`read_drop`).
"""

from __future__ import annotations

from ingestion.connectors.br_workbooks.config import (
    CSV_SUFFIXES,
    MAPPING_FILE,
    PARTICIPANT_COLUMNS,
    PLATFORM,
    SEMINAR_COLUMNS,
    WORKBOOK_SUFFIXES,
    BrConfig,
    load_config,
    normalize_label,
)
from ingestion.connectors.br_workbooks.files import (
    find_sidecar,
    is_sidecar,
    resend_rank,
    seminar_key,
    sidecar_stem,
    split_resend,
)
from ingestion.connectors.br_workbooks.layout import (
    Grid,
    cell_text,
    find_header,
    key_values,
    match_label,
    participant_records,
)
from ingestion.connectors.br_workbooks.read import read_drop
from ingestion.connectors.br_workbooks.records import seminar_dates_problem

__all__ = [
    "CSV_SUFFIXES",
    "MAPPING_FILE",
    "PARTICIPANT_COLUMNS",
    "PLATFORM",
    "SEMINAR_COLUMNS",
    "WORKBOOK_SUFFIXES",
    "BrConfig",
    "Grid",
    "cell_text",
    "find_header",
    "find_sidecar",
    "is_sidecar",
    "key_values",
    "load_config",
    "match_label",
    "normalize_label",
    "participant_records",
    "read_drop",
    "resend_rank",
    "seminar_dates_problem",
    "seminar_key",
    "sidecar_stem",
    "split_resend",
]
