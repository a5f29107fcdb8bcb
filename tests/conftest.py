"""Shared fixtures: the sample graph in memory and in an embedded Oxigraph store."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.build import build
from kg.resources import sample_annotation, sample_article

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, reason: str) -> None:
    """Skip locally when a tool is missing, but fail under CI, where everything must run."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required under CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    require(Path(path).exists(), "Debian's chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def sample_text() -> str:
    return sample_article().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_store():
    """The bundled sample built into rdflib's memory store (read-only use, please)."""
    return build(store="memory:").store


@pytest.fixture(params=["memory", "oxigraph"])
def store(request, sample_store, tmp_path):
    """The sample on each backend: tests using it must hold on memory and embedded Oxigraph alike."""
    if request.param == "memory":
        yield sample_store
    else:
        ds = build(store=str(tmp_path / "store")).store
        yield ds
        ds.close()


@pytest.fixture()
def oxigraph_store(tmp_path: Path):
    """The bundled sample built into a fresh embedded Oxigraph store; yields (dataset, path)."""
    path = tmp_path / "store"
    result = build(store=str(path))
    yield result.store, path
    result.store.close()


@pytest.fixture(scope="session")
def sample_annotation_path() -> Path:
    return sample_annotation()
