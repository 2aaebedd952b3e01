"""Data Docs that work offline: the pages' CDN stylesheets and scripts replaced by local copies.

Great Expectations renders its pages with links to public CDNs (Bootstrap, jQuery, Font Awesome,
bootstrap-table, Vega). The pipeline's hosts have no internet, so those pages would show unstyled
empty tables. :func:`make_offline` copies the vendored files (``expectations/data_docs_assets``)
into the site's ``static/vendor/`` and rewrites each page written by the build to load them by a
relative path, so the site also works when the folder is copied elsewhere or opened from disk.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from ingestion import config

#: The vendored copies (see their README for where they come from).
ASSETS_DIR = config.PROJECT_ROOT / "expectations" / "data_docs_assets"

#: CDN URL in Great Expectations' templates → the vendored file (relative to ASSETS_DIR).
CDN_FILES = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap@4.3.1/dist/css/bootstrap.min.css"
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        "bootstrap@4.3.1/dist/js/bootstrap.min.js"
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery@3.7.1/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "popper.js@1.12.9/dist/umd/popper.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table@1.19.1/dist/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table@1.19.1/dist/bootstrap-table.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": (
        "bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js"
    ),
    # the templates name 1.19.0 for the filter-control styles: the 1.19.1 files are the same rules
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css": (
        "bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": (
        "bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/"
    "bootstrap-datepicker.min.css": (
        "bootstrap-datepicker@1.9.0/dist/css/bootstrap-datepicker.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/"
    "bootstrap-datepicker.min.js": (
        "bootstrap-datepicker@1.9.0/dist/js/bootstrap-datepicker.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "fontawesome-free@6.6.0/css/all.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
    "bootstrap-prefers-dark.css": "bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css",
    "https://cdn.jsdelivr.net/npm/vega@5": "vega@5.33.1/build/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite@5.23.0/build/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed@6.29.0/build/vega-embed.min.js",
}

#: Where the copies go inside the site.
VENDOR = Path("static") / "vendor"

# Subresource-integrity and CORS attributes name the CDN's bytes: meaningless for a local file.
_SRI = re.compile(r'\s+(?:integrity="[^"]*"|crossorigin="[^"]*")')
_TAG = re.compile(r"<(?:script|link)\b[^>]*>")


def external_assets(html: str) -> list[str]:
    """The scripts and stylesheets a page still loads from another host."""
    found = []
    for tag in _TAG.findall(html):
        if tag.startswith("<link") and "stylesheet" not in tag:
            continue
        found += re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', tag)
    return found


def localize_page(html: str, vendor_prefix: str) -> str:
    """One page with each known CDN URL replaced by ``vendor_prefix`` + the vendored file."""

    def local(tag: re.Match[str]) -> str:
        text = tag.group(0)
        for url, path in CDN_FILES.items():
            if f'"{url}"' in text:
                return _SRI.sub("", text.replace(f'"{url}"', f'"{vendor_prefix}{path}"'))
        return text

    return _TAG.sub(local, html)


def make_offline(site: Path, pages: Iterable[Path] | None = None) -> int:
    """Copy the vendored assets into ``site`` and localize ``pages`` (default: every page).

    Returns the number of pages rewritten. A page is rewritten in place through a temporary
    file, so a reader never sees half a page.
    """
    shutil.copytree(ASSETS_DIR, site / VENDOR, dirs_exist_ok=True)
    rewritten = 0
    for page in pages if pages is not None else site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        depth = len(page.relative_to(site).parts) - 1
        localized = localize_page(html, "../" * depth + VENDOR.as_posix() + "/")
        if localized != html:
            tmp = page.with_name(page.name + ".tmp")
            tmp.write_text(localized, encoding="utf-8")
            os.replace(tmp, page)
            rewritten += 1
    return rewritten
