"""Interactive HTML viewer of the stakeholder graph: one self-contained, offline file.

>>> from kg.build import build
>>> page = viewer(build(store="memory:").store)
>>> page.html.startswith("<!DOCTYPE html>")
True

In a notebook, ``show(store)`` displays the viewer inline; ``write_viewer(store, path)``
writes it to a file. Both take the filters of :func:`kg.viewer.data.viewer_graph`.
"""
from __future__ import annotations

import html as _html
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from ..errors import StoreError
from ..store import open_store
from .data import MAX_NODES, SUMMARY_NODES, ViewerGraph, viewer_graph
from .render import render_html

__all__ = ["Viewer", "viewer", "write_viewer", "show", "viewer_graph", "render_html", "ViewerGraph",
           "MAX_NODES", "SUMMARY_NODES"]


@dataclass
class Viewer:
    """A rendered viewer page; displays inline in Jupyter (as a sandboxed iframe)."""
    html: str
    graph: ViewerGraph
    height: int = 720

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.html, encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"cannot write the viewer: {exc.strerror or exc}", source=str(path)) from None
        return path

    def _repr_html_(self) -> str:
        # srcdoc keeps the page self-contained in saved notebooks; the sandbox keeps it apart
        return (f'<iframe srcdoc="{_html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #d1d9e0;border-radius:6px">'
                "</iframe>")


def _dataset(store: Dataset | Graph | str | Path | None) -> Dataset | Graph:
    return store if isinstance(store, Graph) else open_store(store, read_only=True)


def viewer(store: Dataset | Graph | str | Path | None = None, *, title: str = "kg stakeholder graph",
           subtitle: str = "", height: int = 720, **filters: object) -> Viewer:
    """Render the viewer for a store (a Dataset, or a store URI opened read-only)."""
    graph = viewer_graph(_dataset(store), **filters)
    return Viewer(render_html(graph, title=title, subtitle=subtitle), graph, height)


def write_viewer(store: Dataset | Graph | str | Path | None, path: str | Path = "kg-out/graph.html",
                 **options: object) -> Path:
    """Write the viewer for ``store`` to ``path``; ``options`` as for :func:`viewer`."""
    return viewer(store, **options).save(path)


def show(store: Dataset | Graph | str | Path | None = None, **options: object) -> Viewer:
    """The viewer for display in a notebook cell (return it as the cell's value)."""
    return viewer(store, **options)
