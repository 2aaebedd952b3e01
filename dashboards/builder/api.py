"""Superset's REST API: a logged-in admin session, and wiping what Superset holds."""

from __future__ import annotations

import requests


class Superset:
    """A logged-in admin session on Superset's REST API."""

    def __init__(self, url: str, password: str) -> None:
        self.url = url.rstrip("/")
        self.http = requests.Session()
        token = self.http.post(
            f"{self.url}/api/v1/security/login",
            json={"username": "admin", "password": password, "provider": "db", "refresh": False},
            timeout=60,
        )
        token.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        csrf = self.http.get(f"{self.url}/api/v1/security/csrf_token/", timeout=60)
        csrf.raise_for_status()
        self.http.headers["X-CSRFToken"] = csrf.json()["result"]
        self.http.headers["Referer"] = self.url

    def call(self, method: str, path: str, **kwargs) -> dict:
        response = self.http.request(method, f"{self.url}/api/v1/{path}", timeout=300, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:2000]}")
        return response.json() if response.content else {}

    def ids(self, resource: str) -> list[int]:
        query = "(page_size:1000)"
        return [row["id"] for row in self.call("GET", f"{resource}/?q={query}")["result"]]


def wipe(api: Superset) -> None:
    """Remove every dashboard, chart and dataset: the build starts from nothing."""
    for resource in ("dashboard", "chart", "dataset"):
        for ident in api.ids(resource):
            api.call("DELETE", f"{resource}/{ident}")
