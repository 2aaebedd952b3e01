"""The Council report: HTML (inline CSS + SVG charts), its PDF and XLSX, drawn from the Council
marts only.

``render_report(period_from, period_to, out_dir=None)`` is the entry point.
"""

from __future__ import annotations


def render_report(
    period_from: int,
    period_to: int,
    out_dir=None,
    council_db=None,
    personal=None,
    as_of=None,
) -> dict:
    """See :func:`ingestion.publish.reporting.render.render_report`.

    Imported lazily: jinja2, openpyxl and weasyprint load only when a report is rendered.
    """
    from ingestion.publish.reporting.render import render_report as _render

    return _render(period_from, period_to, out_dir, council_db, personal, as_of)


__all__ = ["render_report"]
