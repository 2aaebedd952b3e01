"""Look at the dashboards as a manager would, in Debian's headless Chromium driven by Playwright.

Run by tests/integration/test_dashboards.py with the dashboards' own Python (Playwright lives in
``dashboards/.venv``; the browser is ``/usr/lib/chromium/chromium``, never a download)::

    dashboards/.venv/bin/python tests/dashboards_browser.py '{"url": ..., "username": ...}'

Prints one JSON line of what it saw; the test asserts on it. The browser resolves no host name
(only 127.0.0.1 is reachable), and every request for another host is recorded with the reason it
failed, so a page that still reaches outside shows.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/lib/chromium/chromium"  # Debian's binary (/usr/bin/chromium is its wrapper)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
CHART = '[data-test="chart-grid-component"]'
LOADING = '[data-test="loading-indicator"], .loading'


def wait_for_charts(page: Page, expected: int, timeout: float = 240) -> None:
    """Until the dashboard shows ``expected`` charts and none is loading any more."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.locator(CHART).count() >= expected and page.locator(LOADING).count() == 0:
            page.wait_for_timeout(1500)  # let the last chart draw
            if page.locator(LOADING).count() == 0:
                return
        page.wait_for_timeout(500)
    raise TimeoutError(f"charts still loading after {timeout}s on {page.url}")


def read_charts(page: Page) -> dict[str, dict]:
    """Each chart by its title: drawn (canvas, svg or table cells), error text, visible text."""
    charts = {}
    for holder in page.locator(CHART).all():
        holder.scroll_into_view_if_needed()
        title = holder.locator('[data-test="editable-title"], .header-title').first
        name = title.inner_text().strip() if title.count() else ""
        text = holder.inner_text()
        error = None
        alert = holder.locator('[role="alert"], .ant-alert-error, [data-test="error-message"]')
        if alert.count():
            error = alert.first.inner_text().strip()[:300] or "error"
        no_results = bool(re.search(r"No results|No data", text))
        drawn = not no_results and (
            holder.locator("canvas").count() > 0
            or holder.locator("svg path, svg rect").count() > 0
            or holder.locator("td").count() > 0
            or bool(holder.locator('[data-test="big-number-header"], .header-line').count())
        )
        charts[name] = {"drawn": drawn, "error": error, "text": text[:500]}
    return charts


def big_number(page: Page, title: str) -> str:
    holder = page.locator(CHART).filter(has_text=title).first
    return holder.locator(".header-line, [data-test='big-number-header']").first.inner_text()


def choose_first_value(page: Page, filter_name: str) -> str:
    """Pick the first value of a native filter in the filter bar and apply it."""
    control = page.locator('[data-test="form-item-value"]').filter(
        has=page.locator(f'xpath=..//*[normalize-space(text())="{filter_name}"]')
    )
    if not control.count():
        control = page.locator(".ant-form-item").filter(has_text=filter_name).locator(".ant-select")
    control.first.click()
    option = page.locator(".ant-select-dropdown:visible .ant-select-item-option").first
    option.wait_for(timeout=60_000)
    value = option.inner_text().strip()
    option.click()
    page.keyboard.press("Escape")
    page.locator('[data-test="filter-bar__apply-button"]').click()
    return value


def main() -> int:
    args = json.loads(sys.argv[1])
    url, shots = args["url"], Path(args["screenshots"])
    seen: dict = {"dashboards": {}, "external_requests": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1200})

        def failed(request) -> None:
            if urlparse(request.url).hostname not in ("127.0.0.1", "localhost"):
                reason = request.failure or ""
                seen["external_requests"].append(
                    {"url": request.url, "failure": "csp" if "csp" in reason.lower() else reason}
                )

        def finished(request) -> None:
            if urlparse(request.url).hostname not in ("127.0.0.1", "localhost"):
                seen["external_requests"].append({"url": request.url, "failure": None})

        context.on("requestfailed", failed)
        context.on("requestfinished", finished)
        page = context.new_page()

        # anonymous: sent to the login page
        page.goto(f"{url}/superset/dashboard/stocktaking/")
        page.wait_for_load_state("networkidle")
        seen["anonymous_url"] = page.url

        page.goto(f"{url}/login/")
        page.fill("input#username", args["username"])
        page.fill("input#password", args["password"])
        page.click("button[type=submit]")
        page.wait_for_url("**/superset/welcome/**", timeout=120_000)

        for slug, charts in args["dashboards"].items():
            page.goto(f"{url}/superset/dashboard/{slug}/")
            wait_for_charts(page, len(charts))
            seen["dashboards"][slug] = read_charts(page)
            page.screenshot(path=str(shots / f"{slug}.png"), full_page=True)

        # a filter changes the figures: Stocktaking's activity count, before and after
        page.goto(f"{url}/superset/dashboard/stocktaking/")
        wait_for_charts(page, len(args["dashboards"]["stocktaking"]))
        before = big_number(page, "Activities")
        value = choose_first_value(page, "Bureau")
        page.wait_for_timeout(1000)
        wait_for_charts(page, len(args["dashboards"]["stocktaking"]))
        after = big_number(page, "Activities")
        seen["filter_change"] = {
            "filter": "Bureau",
            "value": value,
            "before": before,
            "after": after,
        }
        page.screenshot(path=str(shots / "stocktaking-filtered.png"), full_page=True)

        # SQL Lab: a query typed into the editor and run
        page.goto(f"{url}/sqllab/")
        editor = page.locator(".ace_text-input")
        page.locator(".ace_editor").or_(page.get_by_text("Add a new tab")).first.wait_for(
            timeout=120_000
        )
        if not editor.count():  # a user without a query tab yet
            page.get_by_text("Add a new tab").first.click()
        editor.first.wait_for(state="attached", timeout=60_000)
        page.locator(".ace_content").first.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("select count(*) as activities from core.activities")
        page.locator('[data-test="run-query-action"]').click()
        cell = page.locator('[role="gridcell"][col-id="activities"] .ag-cell-value').first
        cell.wait_for(timeout=120_000)
        seen["sql_lab"] = {"result": cell.inner_text().strip()}
        page.screenshot(path=str(shots / "sql-lab.png"), full_page=True)
        browser.close()
    print(json.dumps(seen))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
