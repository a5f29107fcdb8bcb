"""Hand projections and tables to other tools: GraphML / GEXF (Gephi), D3 JSON, CSV / Parquet.

GraphML and GEXF hold only scalar attributes, so list attributes (evidence quotes, stance
IRIs) are joined with `` | `` and dict attributes (an actor's positions) written as JSON.

>>> import networkx as nx, tempfile, pathlib
>>> G = nx.Graph([("a", "b", {"sign": -1, "evidence": ["a said so"]})])
>>> out = write_graphml(G, pathlib.Path(tempfile.mkdtemp()) / "g.graphml")
>>> nx.read_graphml(out).edges["a", "b"]["evidence"]
'a said so'
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError

TABLE_FORMATS = ("csv", "parquet")
LIST_SEPARATOR = " | "


def plain(value: object) -> object:
    """A JSON-ready Python value (numpy scalars, dates and NaN made plain)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    return value


def _scalar(value: object) -> object:
    """A value GraphML / GEXF can hold, or ``None`` to leave the attribute out."""
    value = plain(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(map(str, value))
    return value


def flat_graph(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose attributes are all scalars (strings, numbers, booleans)."""
    H = G.__class__()

    def attrs(d: Mapping) -> dict:
        return {k: v for k, v in ((k, _scalar(v)) for k, v in d.items()) if v is not None}

    H.add_nodes_from((str(n), attrs(d)) for n, d in G.nodes(data=True))
    if G.is_multigraph():
        H.add_edges_from((str(u), str(v), k, attrs(d)) for u, v, k, d in G.edges(keys=True, data=True))
    else:
        H.add_edges_from((str(u), str(v), attrs(d)) for u, v, d in G.edges(data=True))
    return H


def _target(path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_graphml(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` as GraphML (Gephi, yEd, Cytoscape); returns the path."""
    path = _target(path)
    nx.write_graphml(flat_graph(G), path)
    return path


def write_gexf(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` as GEXF for Gephi, with node labels shown as labels; returns the path."""
    path = _target(path)
    H = flat_graph(G)
    for n, d in H.nodes(data=True):
        d.setdefault("label", n)
    nx.write_gexf(H, path)
    return path


def d3_json(G: nx.Graph) -> dict:
    """``{"nodes": [{"id": ...}], "links": [{"source": ..., "target": ...}]}`` for D3-style viewers.

    Attributes stay structured (lists stay lists). Multigraph links carry their ``key``.
    """
    nodes = [{"id": str(n), **{k: plain(v) for k, v in d.items()}} for n, d in G.nodes(data=True)]
    if G.is_multigraph():
        links = [{"source": str(u), "target": str(v), "key": plain(k), **{a: plain(x) for a, x in d.items()}}
                 for u, v, k, d in G.edges(keys=True, data=True)]
    else:
        links = [{"source": str(u), "target": str(v), **{a: plain(x) for a, x in d.items()}}
                 for u, v, d in G.edges(data=True)]
    return {"directed": G.is_directed(), "multigraph": G.is_multigraph(),
            "graph": {k: plain(v) for k, v in G.graph.items()}, "nodes": nodes, "links": links}


def write_d3_json(G: nx.Graph, path: str | Path) -> Path:
    """Write :func:`d3_json` of ``G`` to ``path``; returns the path."""
    path = _target(path)
    path.write_text(json.dumps(d3_json(G), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_graph(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` in the format its suffix names: ``.graphml``, ``.gexf`` or ``.json``."""
    writers = {".graphml": write_graphml, ".gexf": write_gexf, ".json": write_d3_json}
    suffix = Path(path).suffix.lower()
    if suffix not in writers:
        raise InputError(f"unknown graph file type; use one of {', '.join(writers)}", source=str(path))
    return writers[suffix](G, path)


def _table_for_file(df: pd.DataFrame) -> pd.DataFrame:
    """Lists and dicts in cells as text, so CSV and Parquet readers get plain columns."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, (list, tuple, dict))).any():
            out[col] = out[col].map(_scalar)
    return out


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | Path,
                 formats: Iterable[str] = TABLE_FORMATS) -> list[Path]:
    """Write each table as ``NAME.csv`` and/or ``NAME.parquet`` in ``out_dir``; returns the paths.

    Parquet keeps the column types (datetimes, floats, nullable integers); CSV is for
    spreadsheets. A table with a named index (the stance matrix) keeps it as a column.
    """
    formats = list(formats)
    unknown = set(formats) - set(TABLE_FORMATS)
    if unknown:
        raise InputError(f"unknown table format '{sorted(unknown)[0]}'; use {' or '.join(TABLE_FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        df = _table_for_file(df.reset_index() if df.index.name else df)
        df.columns = [str(c) for c in df.columns]
        if "csv" in formats:
            df.to_csv(out_dir / f"{name}.csv", index=False)
            written.append(out_dir / f"{name}.csv")
        if "parquet" in formats:
            try:
                df.to_parquet(out_dir / f"{name}.parquet", index=False)
            except ImportError:
                raise InputError("writing Parquet needs pyarrow (pip install pyarrow)") from None
            written.append(out_dir / f"{name}.parquet")
    return written
