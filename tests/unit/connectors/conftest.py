"""Fixtures for the connector tests: real sandbox servers on 127.0.0.1 (free ports) over a small
hand-made tree, and a fast connection profile (tiny timeouts and backoff)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def sample_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sandbox.servers.fixtures import write_sample_tree

    return write_sample_tree(tmp_path_factory.mktemp("sandbox"))


@pytest.fixture
def start(sample_tree: Path) -> Iterator[Callable[..., Any]]:
    """``start("academy", "flaky_5xx", **server_options)`` → a running server, stopped after."""
    from sandbox.servers import FaultConfig, start_server

    started = []

    def _start(platform: str, faults: Any = "none", **options: Any) -> Any:
        config = FaultConfig.scenario(faults) if isinstance(faults, str) else faults
        server = start_server(
            platform, options.pop("data_dir", sample_tree), faults=config, **options
        )
        started.append(server)
        return server

    yield _start
    for server in started:
        server.stop()
