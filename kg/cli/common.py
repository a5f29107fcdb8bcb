"""What several commands share: opening the store named by ``--store`` and closing it after."""
from __future__ import annotations

import argparse

from rdflib import Dataset

from ..store import open_store

_opened: list[Dataset] = []


def track(ds: Dataset) -> Dataset:
    """Close ``ds`` when the command ends (releases the embedded store's lock in-process too)."""
    _opened.append(ds)
    return ds


def cli_store(args: argparse.Namespace, **kwargs: object) -> Dataset:
    """``open_store(args.store, **kwargs)``, closed when the command ends."""
    return track(open_store(args.store, **kwargs))


def close_stores() -> None:
    while _opened:
        _opened.pop().close()
