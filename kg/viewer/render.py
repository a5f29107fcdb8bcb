"""Turn a :class:`~kg.viewer.data.ViewerGraph` into one self-contained HTML file with pyvis.

pyvis builds the vis-network nodes, edges and options; our own Jinja template (pyvis's stock
one loads Bootstrap from a CDN and writes tooltips with ``innerHTML``) inlines vis-network
from pyvis's bundled copy plus our script and style, so the page needs no network. All
data travels as JSON in a ``<script type="application/json">`` block with ``<``, ``>``,
``&`` and U+2028/2029 escaped, and the page script inserts every string as text. A
Content-Security-Policy allowing only the page's own scripts (by hash) is a second wall.
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
from functools import lru_cache
from pathlib import Path

import pyvis
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyvis.network import Network

from .data import KINDS, ViewerGraph

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"

KIND_STYLE: dict[str, dict[str, str]] = {
    "person": {"shape": "dot", "color": "#4E79A7", "name": "Person"},
    "state": {"shape": "hexagon", "color": "#F28E2B", "name": "State"},
    "organisation": {"shape": "square", "color": "#B07AA1", "name": "Organisation"},
    "place": {"shape": "triangle", "color": "#76B7B2", "name": "Place"},
    "issue": {"shape": "diamond", "color": "#EDC948", "name": "Issue"},
    "event": {"shape": "star", "color": "#9C755F", "name": "Event"},
}
POLARITY_COLOR = {"support": "#1A9850", "oppose": "#D73027", "neutral": "#7F7F7F"}
RELATION_COLOR = "#A6A6A6"
BIG = 800  # from this many nodes: straight edges, edges hidden while dragging/zooming

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: object) -> Markup:
    """JSON that is safe inside ``<script type="application/json">``: nothing can close the tag.

    A ``str`` is taken as JSON text already serialised (such as pyvis's options); the escapes
    only ever fall inside JSON strings, where ``\\u003c`` means the same as ``<``.
    """
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                            separators=(",", ":"), allow_nan=False)
    return Markup("".join(_ESCAPES.get(c, c) for c in text) if any(c in text for c in _ESCAPES)
                  else text)


def _shade(hex_color: str, factor: float) -> str:
    """A darker (factor < 1) or lighter (factor > 1) version of a ``#rrggbb`` colour."""
    rgb = [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]
    if factor < 1:
        rgb = [round(c * factor) for c in rgb]
    else:
        rgb = [round(c + (255 - c) * (factor - 1)) for c in rgb]
    return "#" + "".join(f"{min(255, c):02x}" for c in rgb)


def _node_color(kind: str) -> dict:
    base = KIND_STYLE[kind]["color"]
    border = _shade(base, 0.7)
    return {"background": base, "border": border,
            "highlight": {"background": _shade(base, 1.35), "border": "#1f2328"},
            "hover": {"background": _shade(base, 1.2), "border": border}}


def edge_width(sources: int) -> float:
    """Width from the number of independent sources: 1 source → 1.5 px, then growing with log2."""
    return round(1.5 + 2 * math.log2(max(1, sources)), 2)


def _vis_options(n_nodes: int) -> dict:
    big = n_nodes >= BIG
    iterations = 400 if n_nodes < 200 else 200 if n_nodes < BIG else 120
    return {
        "autoResize": True,
        "nodes": {"borderWidth": 1.5, "widthConstraint": {"maximum": 180},
                  "font": {"size": 14, "face": "system-ui, -apple-system, 'Segoe UI', sans-serif",
                           "color": "#1f2328", "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.55}}, "arrowStrikethrough": False,
                  "selectionWidth": 2, "hoverWidth": 1.5,
                  "smooth": {"enabled": not big, "type": "curvedCW", "roundness": 0.15},
                  "font": {"size": 12, "align": "horizontal", "color": "#1f2328", "strokeWidth": 4,
                           "strokeColor": "#ffffff"}},
        "interaction": {"hover": True, "multiselect": False,
                        "keyboard": {"enabled": True, "bindToWindow": False},
                        "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -110, "centralGravity": 0.015,
                                         "springLength": 120, "springConstant": 0.06, "damping": 0.6,
                                         "avoidOverlap": 0.6},
                    "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 20,
                                      "fit": True},
                    "minVelocity": 1.5, "maxVelocity": 60, "timestep": 0.45},
        "layout": {"improvedLayout": n_nodes <= 150, "randomSeed": 7},
    }


def network(graph: ViewerGraph) -> Network:
    """The pyvis network of ``graph``: visual encoding plus the fields the page script reads."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    for n in graph.nodes:
        style = KIND_STYLE[n["kind"]]
        extra = {"shapeProperties": {"borderDashes": [6, 4]}, "borderWidth": 2} if n.get("aggregate") else {}
        size = 30 if n.get("aggregate") else min(46, 11 + 3.2 * math.sqrt(n.get("degree", 0)))
        net.add_node(n["id"], label=n["label"], shape=style["shape"], color=_node_color(n["kind"]),
                     size=round(size, 1), **extra,
                     **{k: v for k, v in n.items() if k not in ("id", "label")})
    for e in graph.edges:
        stance = e["rel"] == "stance"
        color = POLARITY_COLOR[e["polarity"]] if stance else RELATION_COLOR
        net.add_edge(e["from"], e["to"], color={"color": color, "highlight": _shade(color, 0.75),
                                                  "hover": _shade(color, 0.75), "opacity": 0.9},
                     width=edge_width(e.get("sources", 1)), dashes=not stance and [5, 5],
                     smooth={"type": "curvedCW", "roundness": round(0.15 + 0.2 * e.get("parallel", 0), 2)},
                     **{k: v for k, v in e.items() if k not in ("from", "to")})
    net.options = _vis_options(len(graph.nodes))
    return net


@lru_cache(maxsize=None)
def _asset(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower() or "<!--" in text:
        raise ValueError(f"{path} cannot be inlined in a <script> element")
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def legend() -> dict:
    """Encodings the page explains and filters by: node kinds and edge polarities."""
    return {"kinds": [{"kind": k, **KIND_STYLE[k]} for k in KINDS],
            "polarity": POLARITY_COLOR, "relation": RELATION_COLOR}


def render_html(graph: ViewerGraph, *, title: str = "kg stakeholder graph", subtitle: str = "") -> str:
    """One self-contained HTML page drawing ``graph``."""
    net = network(graph)
    net.set_template_dir(str(TEMPLATES) + "/", "viewer.html")
    # autoescape: anything interpolated as-is is escaped unless it is Markup we made safe
    net.templateEnv = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    net.templateEnv.filters["script_json"] = script_json
    scripts = [_asset(VIS_DIR / "vis-network.min.js"), _asset(STATIC / "viewer.js")]
    net.templateEnv.globals.update(
        page_title=title, subtitle=subtitle, notice=graph.notice,
        meta={"title": title, "notice": graph.notice, "totals": graph.totals, "legend": legend()},
        articles=graph.articles,
        vis_css=Markup(_asset(VIS_DIR / "vis-network.css")), viewer_css=Markup(_asset(STATIC / "viewer.css")),
        vis_js=Markup(scripts[0]), viewer_js=Markup(scripts[1]),
        script_hashes=" ".join(_sha256(s) for s in scripts))
    return net.generate_html()
