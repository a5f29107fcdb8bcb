"""The viewer without a browser: data from SPARQL, filters, summaries, escaping, CLI."""
from __future__ import annotations

import html
import json
import re
import pytest

from kg.build import build
from kg.cli import main
from kg.errors import InputError, QueryError
from kg.queries import run
from kg.rdf.namespaces import KG
from kg.viewer import viewer, write_viewer
from kg.viewer.data import summarise, viewer_graph
from kg.viewer.render import script_json

ID = "https://w3id.org/geokg/id/"
ISSUE = "https://w3id.org/geokg/issue/"


def embedded(page_html: str) -> dict:
    """The JSON the page script reads, parsed back as the browser would."""
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page_html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def test_counts_equal_the_sparql_queries(sample_store):
    g = viewer_graph(sample_store)
    assert len(g.nodes) == len(run(sample_store, "viewer-nodes"))
    assert g.stance_count == len(run(sample_store, "stances"))
    assert sum(e["rel"] != "stance" for e in g.edges) == len(run(sample_store, "viewer-relations"))


def test_urge_edge_runs_from_holder_to_issue_with_putin_as_addressee(sample_store):
    g = viewer_graph(sample_store)
    (urge,) = [e for e in g.edges if e["caption"] == "urge"]
    assert (urge["from"], urge["to"], urge["polarity"]) == (ID + "trump", ISSUE + "war-escalation", "oppose")
    (ev,) = urge["evidence"]
    assert ev["addresseeLabel"] == "Vladimir Putin"
    assert "Trump urged Putin not to escalate the war in Ukraine" in ev["quote"]
    assert g.articles[ev["article"]]["title"].startswith("Trump urges Putin")


def test_same_counts_on_oxigraph(oxigraph_store, sample_store):
    ds, _ = oxigraph_store
    a, b = viewer_graph(ds), viewer_graph(sample_store)
    assert sorted(n["id"] for n in a.nodes) == sorted(n["id"] for n in b.nodes)
    assert sorted(e["id"] for e in a.edges if e["rel"] == "stance") == \
        sorted(e["id"] for e in b.edges if e["rel"] == "stance")


def test_actor_filter_keeps_neighbourhood_and_stances_addressed_to_it(sample_store):
    g = viewer_graph(sample_store, actor="Vladimir Putin")
    ids = {n["id"] for n in g.nodes}
    assert ID + "putin" in ids and ID + "russia" in ids
    assert any(e["caption"] == "urge" for e in g.edges)  # Trump urged *Putin*
    assert all(ID + "putin" in (e["from"], e["to"]) or e["rel"] == "stance" for e in g.edges)


def test_issue_filter_keeps_only_its_stances(sample_store):
    g = viewer_graph(sample_store, issue="territorial-concessions")
    assert g.edges and all(e["rel"] == "stance" and e["to"] == ISSUE + "territorial-concessions"
                           for e in g.edges)
    assert len(g.nodes) == 1 + len({e["from"] for e in g.edges})


def test_min_confidence_drops_stances():
    store = build(store="memory:").store
    n = viewer_graph(store).stance_count
    store.update("DELETE { GRAPH ?g { ?s kg:confidence ?c } } INSERT { GRAPH ?g { ?s kg:confidence 0.5 } } "
                 "WHERE { { SELECT ?s WHERE { ?s a kg:Stance } ORDER BY ?s LIMIT 1 } "
                 "GRAPH ?g { ?s kg:confidence ?c } }", initNs={"kg": KG})
    assert viewer_graph(store, min_confidence=0.6).stance_count == n - 1
    assert viewer_graph(store, min_confidence="0.5").stance_count == n


@pytest.mark.parametrize("kwargs, message", [
    ({"actor": "nobody at all"}, "no actor is called"),
    ({"issue": "trump"}, "no issue is called"),
    ({"min_confidence": "high"}, "not a number"),
    ({"min_confidence": 1.5}, "outside 0..1"),
    ({"query": "no-such-query"}, "no named query"),
])
def test_bad_filters_are_input_errors(sample_store, kwargs, message):
    with pytest.raises(InputError, match=message):
        viewer_graph(sample_store, **kwargs)


def test_broken_sparql_is_a_query_error(sample_store, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(QueryError):
        viewer_graph(sample_store, query=bad)


def test_select_query_picks_nodes_and_the_edges_between_them(sample_store):
    g = viewer_graph(sample_store, query="disagreements", query_params={"actor": "trump"})
    ids = {n["id"] for n in g.nodes}
    assert ids == {ID + "trump", ID + "biden-administration", ISSUE + "us-military-aid-to-ukraine"}
    assert {e["polarity"] for e in g.edges} == {"support", "oppose"}


def test_construct_query_picks_the_nodes_it_mentions(sample_store, tmp_path):
    q = tmp_path / "opp.rq"
    q.write_text("CONSTRUCT { ?a kg:opposes ?b } WHERE { ?a kg:opposes ?b }")
    g = viewer_graph(sample_store, query=q)
    assert g.stance_count == len(run(sample_store, "stances").query("polarity == 'oppose'"))
    assert {e["polarity"] for e in g.edges if e["rel"] == "stance"} == {"oppose"}


def test_summary_keeps_most_connected_and_aggregates_the_rest():
    nodes = [{"id": f"n{i}", "label": f"N{i}", "kind": "person" if i % 2 else "issue", "offices": []}
             for i in range(10)]
    edges = [{"id": f"e{i}", "from": "n0", "to": f"n{i}", "rel": "stance", "polarity": "support", "sources": 1}
             for i in range(1, 10)] + [{"id": "r", "from": "n1", "to": "n3", "rel": "member-of",
                                         "polarity": "neutral", "sources": 1}]
    out_nodes, out_edges, notice = summarise(nodes, edges, keep=3)
    ids = [n["id"] for n in out_nodes]
    assert ids[:3] == ["n0", "n1", "n3"]
    others = {n["id"]: n["aggregate"] for n in out_nodes[3:]}
    assert others == {"urn:kg:others:issue": 4, "urn:kg:others:person": 3}
    agg = [e for e in out_edges if e.get("aggregate")]
    assert sum(e["aggregate"] for e in agg) == 7 and all(e["from"] == "n0" for e in agg)
    assert "Summarised view" in notice and "10 nodes" in notice


def test_large_graph_is_summarised_on_the_page(sample_store):
    page = viewer(sample_store, max_nodes=10, summary_nodes=8)
    assert len(page.graph.nodes) <= 8 + 6
    assert "Summarised view" in page.html and page.graph.notice in html.unescape(page.html)


def test_script_json_cannot_close_the_script_element():
    hostile = {"q": "</script><script>alert(1)</script> & <!-- \u2028\u2029"}
    text = str(script_json(hostile))
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == hostile


def test_page_is_self_contained(sample_store):
    page = viewer(sample_store).html
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.I)
    assert not re.search(r"url\(\s*(?!['\"]?data:)|@import", page)  # CSS loads nothing either
    assert "default-src 'none'" in page  # CSP: nothing may load, only our own hashed scripts run
    data = embedded(page)
    assert len(data["nodes"]) == len(run(sample_store, "viewer-nodes"))
    assert {"from", "to", "color", "width", "arrows"} <= set(data["edges"][0])


def test_notebook_repr_is_a_sandboxed_srcdoc_iframe(sample_store):
    page = viewer(sample_store)
    frag = page._repr_html_()
    m = re.fullmatch(r'<iframe srcdoc="([^"]*)" sandbox="allow-scripts" style="[^"]*"></iframe>', frag)
    assert m and html.unescape(m.group(1)) == page.html


def test_write_viewer_writes_the_file(sample_store, tmp_path):
    out = write_viewer(sample_store, tmp_path / "sub" / "g.html", actor="trump")
    assert out.is_file() and embedded(out.read_text())["nodes"]


@pytest.fixture()
def closed_store(tmp_path):
    """The sample in an Oxigraph store that no handle in this process keeps open."""
    path = tmp_path / "store"
    build(store=str(path)).store.close()
    return path


def test_cli_build_writes_the_viewer_unless_told_not_to(tmp_path, capsys, sample_store):
    out = tmp_path / "build.html"
    assert main(["build", "--store", "memory:", "--no-export", "--viewer", str(out)]) == 0
    nodes, stances = len(run(sample_store, "viewer-nodes")), len(run(sample_store, "stances"))
    assert out.is_file() and f"Wrote {out} ({nodes} nodes, {stances} stances" in capsys.readouterr().out
    skipped = tmp_path / "skipped.html"
    assert main(["build", "--store", "memory:", "--no-export", "--viewer", str(skipped), "--no-viewer"]) == 0
    assert not skipped.exists()


def test_cli_viz_writes_the_viewer(closed_store, tmp_path, capsys):
    out = tmp_path / "putin.html"
    assert main(["viz", "--store", str(closed_store), "--actor", "putin", "--out", str(out)]) == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    assert any(e["caption"] == "urge" for e in embedded(out.read_text())["edges"])


@pytest.mark.parametrize("args, message", [
    (["--actor", "nobody"], "no actor is called 'nobody'"),
    (["--min-confidence", "2"], "outside 0..1"),
    (["--query", "missing.rq"], "cannot read the query file"),
    (["--param", "a=b"], "give --query too"),
])
def test_cli_viz_bad_input_exits_2_without_traceback(closed_store, tmp_path, capsys, args, message):
    assert main(["viz", "--store", str(closed_store), "--out", str(tmp_path / "x.html"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.html").exists()


def test_cli_viz_missing_store_exits_2(tmp_path, capsys):
    assert main(["viz", "--store", str(tmp_path / "none")]) == 2
    assert "no store here yet" in capsys.readouterr().err


def test_articles_restating_the_same_facts_do_not_multiply_rows(tmp_path, sample_annotation_path):
    """Each article graph restates its actors and stances; the viewer must count each once."""
    text = sample_annotation_path.with_suffix(".txt").read_text(encoding="utf-8")
    (tmp_path / "copy.txt").write_text(text, encoding="utf-8")
    yaml_text = sample_annotation_path.read_text(encoding="utf-8")
    copy = yaml_text.replace("id: trump-putin-call\n  file: trump-putin-call.txt", "id: copy\n  file: copy.txt", 1)
    assert copy != yaml_text
    (tmp_path / "copy.yaml").write_text(copy, encoding="utf-8")
    ds = build([sample_annotation_path, tmp_path / "copy.yaml"], store="memory:").store
    g, one = viewer_graph(ds), viewer_graph(build([sample_annotation_path], store="memory:").store)
    assert len(g.nodes) == len(one.nodes) and g.stance_count == one.stance_count  # merged, not doubled
    stances = [e for e in g.edges if e["rel"] == "stance"]
    assert all(e["sources"] == 2 for e in stances)
    (urge,) = [e for e in stances if e["caption"] == "urge"]
    assert len(urge["evidence"]) == 2 and {ev["addresseeLabel"] for ev in urge["evidence"]} == {"Vladimir Putin"}
