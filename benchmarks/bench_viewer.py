"""Viewer benchmark: generation time, file size and time to a settled, interactive page.

For each size, a synthetic store with that many viewer nodes (people, states, organisations,
places, issues, events; ~1.5 stances per node, some attested by several articles, plus
offices, memberships and locations) is written to an embedded Oxigraph store. Then:

* generation: ``kg.viewer.viewer(store)`` — the SPARQL queries plus rendering — and the file size;
* ready: headless Chromium opens the file (offline) until the layout has settled and the
  page answers (``kgViewer.ready``), timed from navigation start;
* click: a real mouse click on the most connected node until the details panel shows.

``python benchmarks/bench_viewer.py [100 1000 10000]`` prints a Markdown table.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from kg.model import Actor, Article, Document, Event, Evidence, Issue, Place, Post, Stance
from kg.rdf.mapping import document_graph
from kg.rdf.namespaces import ONTOLOGY_GRAPH, graph_for
from kg.rdf.vocabulary import ontology_graph
from kg.store import open_store, write_graphs
from kg.viewer import viewer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SHARES = {"person": 0.45, "organisation": 0.2, "state": 0.05, "place": 0.1, "issue": 0.12, "event": 0.08}
STANCES_PER_ARTICLE = 60
ACTS = ["urge", "warn", "oppose", "reject", "welcome", "praise", "criticize", "support", "state"]


def documents(n_nodes: int, seed: int = 0) -> list[Document]:
    """A registry article declaring ``n_nodes`` nodes and their relations, then stance articles."""
    rng = random.Random(seed)
    count = {k: max(1, round(n_nodes * s)) for k, s in SHARES.items()}
    count["person"] += n_nodes - sum(count.values())
    ids = {k: [f"{k}-{i}" for i in range(c)] for k, c in count.items()}
    states, orgs, places = ids["state"], ids["organisation"], ids["place"]
    actors = [Actor(id=i, label=f"State {i[6:]}", kind="State") for i in states]
    actors += [Actor(id=i, label=f"Organisation {i[13:]}", kind=rng.choice(["Organization", "Government", "Alliance"]),
                     part_of=[rng.choice(states)] if rng.random() < 0.5 else [],
                     member_of=[rng.choice(orgs)] if rng.random() < 0.2 else []) for i in orgs]
    actors += [Actor(id=i, label=f"Person {i[7:]}", kind="Person", aliases=[f"P{i[7:]}"],
                     wikidata=f"Q{1000 + int(i[7:])}" if rng.random() < 0.4 else None) for i in ids["person"]]
    place_objs = [Place(id=i, label=f"Place {i[6:]}", kind="City", located_in=rng.choice(states)) for i in places]
    issues = [Issue(id=f"bench-{i}", label=f"Issue {i[6:]}") for i in ids["issue"]]
    actor_ids = [a.id for a in actors]
    events = [Event(id=i, label=f"Event {i[6:]}", kind="Meeting", place=rng.choice(places),
                    participants=rng.sample(actor_ids, 2)) for i in ids["event"]]
    posts = [Post(holder=p, role=rng.choice(["President", "Minister", "Spokesperson"]),
                  organization=rng.choice(orgs + states)) for p in ids["person"] if rng.random() < 0.6]
    registry = Document(article=Article(id="registry", text="Registry.", title="Registry"), actors=actors,
                        places=place_objs, issues=issues, posts=posts, events=events)

    # popular holders and targets, as in the news: weights fall off with rank
    holders = actor_ids
    targets = [(i, "actor") for i in actor_ids] + [(f"bench-{i}", "issue") for i in ids["issue"]] * 3 \
        + [(i, "event") for i in ids["event"]]
    hw = [1 / (k + 1) ** 0.6 for k in range(len(holders))]
    tw = [1 / (k + 1) ** 0.6 for k in range(len(targets))]
    claims = []
    for _ in range(int(1.5 * n_nodes)):
        h = rng.choices(holders, hw)[0]
        t, kind = rng.choices(targets, tw)[0]
        if t != h:
            claims.append((h, t, kind, rng.choice(["support", "oppose", "neutral"])))
    claims += rng.sample(claims, len(claims) // 5)  # a fifth attested by a second source
    docs = [registry]
    for a in range(0, len(claims), STANCES_PER_ARTICLE):
        art = Article(id=f"bench-article-{a // STANCES_PER_ARTICLE}", text="",
                      title=f"Report {a // STANCES_PER_ARTICLE}", url=f"https://news.example.org/{a}")
        lines, stances = [], []
        for k, (h, t, kind, pol) in enumerate(claims[a:a + STANCES_PER_ARTICLE]):
            quote = f"{h} spoke about {t} ({pol}), statement {k}."
            start = sum(len(x) + 1 for x in lines)
            lines.append(quote)
            stances.append(Stance(holder=h, target=t, target_kind=kind, polarity=pol,
                                  speech_act=rng.choice(ACTS), confidence=rng.choice([1.0, 0.9, 0.8]),
                                  evidence=Evidence(art.id, quote, start, start + len(quote))))
        art.text = "\n".join(lines)
        docs.append(Document(article=art, stances=stances))
    return docs


def make_store(n_nodes: int, path: Path):
    ds = open_store(str(path))
    graphs = {ONTOLOGY_GRAPH: ontology_graph()}
    graphs.update({graph_for(d.article.id): document_graph(d) for d in documents(n_nodes)})
    write_graphs(ds, graphs, replace_all=True)
    return ds


def measure_browser(html: Path) -> tuple[float, float, float]:
    """Seconds from navigation to a settled page (wall clock and page clock), and click → panel."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 860}, offline=True).new_page()
        t0 = time.perf_counter()
        page.goto(html.resolve().as_uri())
        # a selector wait: wait_for_function would need eval, which the page's CSP forbids
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
        ready_wall = time.perf_counter() - t0
        ready_page = page.evaluate("kgViewer.readyAt") / 1000
        hub = page.evaluate("""() => kgViewer.nodes.get().filter(n => !n.aggregate)
                                 .sort((a, b) => b.degree - a.degree)[0].id""")
        point = page.evaluate("""(id) => { const n = kgViewer.network, r = document.getElementById('kg-network')
            .getBoundingClientRect(); const p = n.canvasToDOM(n.getPosition(id));
            return {x: p.x + r.left, y: p.y + r.top}; }""", hub)
        t1 = time.perf_counter()
        page.mouse.click(point["x"], point["y"])
        page.locator("#kg-details").wait_for(state="visible")
        click = time.perf_counter() - t1
        browser.close()
    return ready_wall, ready_page, click


def main(sizes: list[int]) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            t = time.perf_counter()
            ds = make_store(n, Path(tmp) / f"store-{n}")
            load = time.perf_counter() - t
            t = time.perf_counter()
            page = viewer(ds)
            html = page.save(Path(tmp) / f"graph-{n}.html")
            gen = time.perf_counter() - t
            g = page.graph
            ready_wall, ready_page, click = measure_browser(html)
            drawn = f"{len(g.nodes):,} nodes, {len(g.edges):,} edges" + (" (summary)" if g.notice else "")
            rows.append((f"{g.totals['nodes']:,}", f"{g.totals['stances']:,}", drawn, f"{gen:.2f}",
                         f"{html.stat().st_size / 1e6:.2f}", f"{ready_page:.2f}", f"{ready_wall:.2f}",
                         f"{click * 1000:.0f}"))
            print(f"{n}: store built in {load:.1f} s", file=sys.stderr)
            ds.close()
    head = ("nodes", "stances", "drawn", "generation (s)", "file (MB)", "settled, page clock (s)",
            "settled, wall clock (s)", "click → panel (ms)")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---:" for _ in head) + "|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 10000])
