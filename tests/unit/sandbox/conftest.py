"""Fixtures for the sandbox server tests: a tiny hand-made tree (not the generator's) and
fault-free servers over it, one per test module."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.servers import start_server
from sandbox.servers.fixtures import write_sample_tree


@pytest.fixture(scope="session")
def sample_tree(tmp_path_factory) -> Path:
    return write_sample_tree(tmp_path_factory.mktemp("servers_tree"))


@pytest.fixture(scope="module")
def academy_srv(sample_tree):
    with start_server("academy", sample_tree) as srv:
        yield srv


@pytest.fixture(scope="module")
def tsb_srv(sample_tree):
    with start_server("tsb_events", sample_tree) as srv:
        yield srv


@pytest.fixture(scope="module")
def lrs_srv(sample_tree):
    with start_server("gs_lrs", sample_tree) as srv:
        yield srv
