"""The small query page at ``/``: a textarea, the named queries, results shown as text.

The script is served from ``/query.js`` so the page can forbid inline scripts (CSP), and
it writes results with ``textContent`` only: data from the store is never parsed as HTML.
"""
from __future__ import annotations

import html
import json

from ..queries import list_queries
from ..rdf.namespaces import PREFIXES

CSP = ("default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; max-width: 80em; }}
textarea {{ width: 100%; height: 14em; font: 13px monospace; }}
table {{ border-collapse: collapse; margin-top: 1em; }}
td, th {{ border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; font: 12px monospace; }}
th {{ background: #eee; }} #status {{ margin-left: 1em; color: #555; }} .error {{ color: #b00; }}
pre {{ background: #f6f6f6; padding: .5em; overflow: auto; }}
</style></head><body>
<h1>kg SPARQL endpoint</h1>
<p>SPARQL 1.1 queries at <code>/sparql</code> (GET or POST); {mode}.
Prefixes {prefixes} are predeclared. {viewer}</p>
<p><label>Named query: <select id="named"><option value="">(choose one)</option>{options}</select></label></p>
<form id="form"><textarea id="query" name="query" spellcheck="false">SELECT ?actor ?label
WHERE {{ ?actor a/rdfs:subClassOf* kg:Actor ; rdfs:label ?label }}
ORDER BY ?label LIMIT 20</textarea>
<p><button type="submit">Run</button><span id="status"></span></p></form>
<div id="out"></div>
<script type="application/json" id="named-queries">{named}</script>
<script src="/query.js"></script>
</body></html>
"""

SCRIPT = """\
"use strict";
const named = JSON.parse(document.getElementById("named-queries").textContent);
const $ = (id) => document.getElementById(id);
$("named").addEventListener("change", (e) => { if (e.target.value) $("query").value = named[e.target.value]; });

function cell(term) {
  if (!term) return "";
  if (term.type === "literal") {
    return term["xml:lang"] ? `${term.value} @${term["xml:lang"]}` : term.value;
  }
  return term.type === "bnode" ? `_:${term.value}` : term.value;
}

function show(data) {
  const out = $("out");
  out.replaceChildren();
  if ("boolean" in data) { out.textContent = String(data.boolean); return 0; }
  const table = document.createElement("table");
  const head = table.insertRow();
  for (const v of data.head.vars) {
    const th = document.createElement("th"); th.textContent = v; head.appendChild(th);
  }
  for (const b of data.results.bindings) {
    const tr = table.insertRow();
    for (const v of data.head.vars) tr.insertCell().textContent = cell(b[v]);
  }
  out.appendChild(table);
  return data.results.bindings.length;
}

$("form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const status = $("status"), out = $("out");
  status.textContent = "running..."; status.className = "";
  const started = performance.now();
  try {
    const res = await fetch("/sparql", {
      method: "POST",
      headers: {"Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
      body: $("query").value,
    });
    const ms = Math.round(performance.now() - started);
    const type = res.headers.get("Content-Type") || "";
    if (!res.ok) {
      out.replaceChildren();
      status.textContent = `${res.status} ${res.statusText}: ${await res.text()}`;
      status.className = "error";
    } else if (type.startsWith("application/sparql-results+json")) {
      const n = show(await res.json());
      const cap = res.headers.get("X-SPARQL-MaxRows");
      status.textContent = `${n} row(s) in ${ms} ms` + (cap ? ` (cut at the ${cap}-row cap)` : "");
    } else {
      const pre = document.createElement("pre");
      pre.textContent = await res.text();
      out.replaceChildren(pre);
      status.textContent = `graph in ${ms} ms`;
    }
  } catch (err) {
    status.textContent = String(err); status.className = "error";
  }
});
"""


def render_page(*, updates: bool, viewer: bool) -> bytes:
    """The query page, with the named queries to choose from."""
    queries = list_queries()
    named = json.dumps({q.name: q.text for q in queries}).replace("<", "\\u003c")
    options = "".join(f'<option value="{html.escape(q.name)}">{html.escape(q.name)}: {html.escape(q.title)}'
                      "</option>" for q in queries)
    mode = ("updates at <code>/update</code> with a bearer token" if updates
            else "read-only: updates are refused")
    prefixes = ", ".join(f"<code>{html.escape(p)}:</code>" for p in PREFIXES)
    link = '<a href="/viewer">Open the graph viewer.</a>' if viewer else ""
    return _PAGE.format(mode=mode, prefixes=prefixes, viewer=link, options=options, named=named).encode("utf-8")
