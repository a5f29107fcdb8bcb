"""``kg ingest``: named graph per article, provenance, idempotence, merging across articles,
bad files in a directory, ``kg build`` falling back to extraction, and the bulk write path
(new graphs as one N-Quads load: all or nothing, the same triples as the SPARQL path, the
default graph kept the merge)."""
from __future__ import annotations

import re
import shutil

import pyoxigraph as ox
import pytest
from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SDO, XSD

from kg.cli import main
from kg.extract import extract, method_name
from kg.ingest import ingest
from kg.rdf.mapping import document_graph, document_triples
from kg.queries import run
from kg.rdf.namespaces import ART, GRAPH, ID, KG, ONTOLOGY_GRAPH, graph_for
from kg.rdf.vocabulary import ontology_graph
from kg.resources import sample_article
from kg.sources import read_article
from kg.store import _oxigraph_update, named_graphs, ntriples, open_store, write_graphs

CALL = sample_article().read_text(encoding="utf-8")


def triples(ds, article_id: str) -> int:
    return len(ds.graph(graph_for(article_id)))


def test_each_article_is_its_own_named_graph_with_provenance(tmp_path):
    ds = open_store("memory:")
    result = ingest([sample_article()], ds, shacl=True)
    assert result.written == ["trump-putin-call"] and not result.failures
    graphs = named_graphs(ds)
    assert str(graph_for("trump-putin-call")) in graphs and str(ONTOLOGY_GRAPH) in graphs
    rows = ds.query("""
        SELECT ?label ?conf WHERE { ?s a kg:Stance ; kg:evidence ?ev .
          ?ev kg:method/rdfs:label ?label ; kg:confidence ?conf }""", initNs={"kg": KG, "rdfs": RDFS})
    assert {str(r.label) for r in rows} == {method_name()}
    assert all(0 < float(r.conf) <= 1 for r in rows)


def test_reingesting_is_idempotent(tmp_path):
    store = tmp_path / "store"
    ds = open_store(store)
    ingest([sample_article()], ds, shacl=False)
    first = triples(ds, "trump-putin-call")
    total = len(ds)
    ingest([sample_article()], ds, shacl=False)
    assert triples(ds, "trump-putin-call") == first and len(ds) == total
    ds.close()


def test_same_stance_from_two_articles_is_one_stance_with_two_evidence(tmp_path):
    (tmp_path / "a.txt").write_text("Zelensky rejected any territorial concessions on Monday.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: Kyiv holds firm\ndate: 2024-11-12\n---\n"
                                   "Volodymyr Zelenskyy again opposed giving up land.\n", encoding="utf-8")
    ds = open_store("memory:")
    result = ingest([tmp_path], ds, shacl=False)
    assert sorted(result.written) == ["a", "b"]
    rows = list(ds.query("""
        SELECT ?stance (COUNT(DISTINCT ?ev) AS ?n) (COUNT(DISTINCT ?src) AS ?sources) WHERE {
          ?stance kg:holder <https://w3id.org/geokg/id/zelensky> ;
                  kg:target <https://w3id.org/geokg/issue/territorial-concessions> ;
                  kg:evidence ?ev . ?ev <http://www.w3.org/ns/oa#hasSource> ?src }
        GROUP BY ?stance""", initNs={"kg": KG}))
    assert len(rows) == 1 and int(rows[0].n) == 2 and int(rows[0].sources) == 2
    title = ds.value(predicate=DCTERMS.title, object=Literal("Kyiv holds firm"))
    assert title is not None  # front matter metadata kept


def test_bad_files_in_a_directory_are_reported_and_the_others_written(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(sample_article(), d / "call.txt")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (d / "latin1.txt").write_bytes("Caf\xe9 talks".encode("latin-1"))
    (d / "page.html").write_text("<html><head><script>alert('x')</script><title>Talks</title></head><body>"
                                 "<article><p>Zelensky rejected any territorial concessions in a statement on "
                                 "Tuesday, his office said.</p><script>var x = 1;</script></article></body></html>",
                                 encoding="utf-8")
    (d / "long.txt").write_text("Peace. " * 200_000, encoding="utf-8")  # over the parser's 1,000,000 characters
    store = tmp_path / "store"
    code = main(["ingest", str(d), "--store", str(store), "--no-shacl"])
    captured = capsys.readouterr()
    assert code == 1 and "Traceback" not in captured.err
    for name, message in [("empty.txt", "empty"), ("binary.txt", "binary"), ("latin1.txt", "UTF-8"),
                          ("long.txt", "at most")]:
        assert any(name in line and message in line for line in captured.err.splitlines()), name
    assert "Ingested 2 article(s)" in captured.out
    ds = open_store(store, read_only=True)
    assert {str(graph_for("call")), str(graph_for("page"))} <= set(named_graphs(ds))
    texts = "".join(str(o) for o in ds.objects(None, SDO.text))
    assert "Zelensky rejected" in texts and "alert(" not in texts  # scripts are not article text
    ds.close()


def test_user_errors_exit_2_without_traceback(tmp_path, capsys):
    assert main(["ingest", str(sample_article()), "--store", "memory:", "--processes", "0"]) == 2
    assert main(["ingest", str(tmp_path / "missing.txt"), "--store", "memory:"]) == 1
    err = capsys.readouterr().err
    assert "no such file" in err and "Traceback" not in err


def test_build_extracts_an_article_without_annotation(tmp_path):
    article = tmp_path / "unannotated.txt"
    article.write_text(CALL, encoding="utf-8")
    store = tmp_path / "store"
    assert main(["build", str(article), "--store", str(store), "--no-export", "--no-viewer"]) == 0
    ds = open_store(store, read_only=True)
    stances = run(ds, "stances")
    assert len(stances) and (stances.holder == str(ID["trump"])).any()
    assert list(run(ds, "articles").article) == [str(ART["unannotated"])]
    ds.close()


@pytest.mark.slow
def test_two_parser_processes_give_the_same_graph(tmp_path):
    for i in range(3):
        (tmp_path / f"call-{i}.txt").write_text(CALL, encoding="utf-8")
    one, two = open_store("memory:"), open_store("memory:")
    ingest([tmp_path], one, shacl=False)
    ingest([tmp_path], two, shacl=False, n_process=2, batch_size=1)
    assert len(one) > 0 and set(one) == set(two)


def quads(ds) -> list[str]:
    """Every quad of an Oxigraph store, default graph included, sorted; blank-node labels masked."""
    text = ds.store._inner.dump(format=ox.RdfFormat.N_QUADS).decode()
    return sorted(re.sub(r"_:[A-Za-z0-9]+", "_:b", line) for line in text.splitlines())


def default_is_the_merge(ds) -> bool:
    inner = ds.store._inner
    default = set(inner.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    merged = {ox.Quad(q.subject, q.predicate, q.object) for q in inner
              if not isinstance(q.graph_name, ox.DefaultGraph)}
    return {(q.subject, q.predicate, q.object) for q in default} == \
        {(q.subject, q.predicate, q.object) for q in merged}


def test_ntriples_round_trips_the_mapping():
    doc = extract(read_article(sample_article()))
    triples = document_triples(doc)
    assert len(triples) == len(set(triples)) and set(triples) == set(document_graph(doc))
    tricky = [(URIRef("http://x/s"), URIRef("http://x/p"), o) for o in (
        Literal('a "quoted"\nline\r\\ back\u2028sep\x85'), Literal("Kyiv", lang="uk"),
        Literal("2024-01-02", datatype=XSD.date), Literal(True), Literal("x"))]
    assert set(Graph().parse(data=ntriples(tricky), format="nt")) == set(tricky)


def test_new_graphs_are_one_load_with_the_same_quads_as_the_sparql_path(tmp_path):
    fast, slow = open_store(tmp_path / "fast"), open_store(tmp_path / "slow")
    ingest([sample_article()], fast, shacl=False)
    graphs = {ONTOLOGY_GRAPH: ontology_graph(),
              graph_for("trump-putin-call"): document_graph(extract(read_article(sample_article())))}
    slow.store._inner.update(_oxigraph_update(graphs, replace_all=False))  # the SPARQL path
    assert quads(fast) == quads(slow) and default_is_the_merge(fast)
    ingest([sample_article()], fast, shacl=False)  # re-ingest: replaces through the SPARQL path
    assert quads(fast) == quads(slow)
    fast.close()
    slow.close()


def test_a_failed_load_leaves_the_store_unchanged(tmp_path):
    ds = open_store(tmp_path / "s")
    s, p = URIRef("http://x/s"), URIRef("http://x/p")
    write_graphs(ds, {GRAPH["a"]: ntriples([(s, p, Literal(1))])})
    before = quads(ds)
    good = ntriples([(s, p, Literal(2))])
    bad = good + '<http://x/s> <http://x/p> "unterminated .\n'
    with pytest.raises(SyntaxError):
        write_graphs(ds, {GRAPH["b"]: good, GRAPH["c"]: bad})
    assert quads(ds) == before and str(GRAPH["b"]) not in named_graphs(ds)
    ds.close()


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_the_default_graph_stays_the_merge_across_loads_and_replacements(tmp_path, kind):
    ds = open_store("memory:" if kind == "memory" else tmp_path / "s")
    s, p = URIRef("http://x/s"), URIRef("http://x/p")
    shared, only_a = (s, p, Literal("shared")), (s, p, Literal("only a"))
    write_graphs(ds, {GRAPH["a"]: ntriples([shared, only_a]), GRAPH["b"]: ntriples([shared])})  # load
    write_graphs(ds, {GRAPH["a"]: ntriples([(s, p, Literal("new a"))])})  # replacement
    assert sorted(str(o) for o in ds.objects(s, p)) == ["new a", "shared"]
    assert [str(o) for o in ds.graph(GRAPH["b"]).objects(s, p)] == ["shared"]
    if kind == "oxigraph":
        assert default_is_the_merge(ds)
        ds.close()


def test_shacl_runs_per_chunk_and_names_only_the_article_that_violates_it(tmp_path, monkeypatch):
    import kg.ingest as ingest_module

    folder = tmp_path / "in"
    folder.mkdir()
    for src in sorted((sample_article().parents[1] / "articles").glob("*.txt")) + [sample_article()]:
        shutil.copy(src, folder / src.name)

    def corrupting(doc):  # a score outside [-1, 1] passes the structural checks, not the shapes
        g = document_graph(doc)
        if doc.article.id == "nato-spending-summit":
            stance = next(g.subjects(KG.holder, None))
            g.set((stance, KG.score, Literal("3.5", datatype=XSD.decimal)))
        return g

    monkeypatch.setattr(ingest_module, "document_graph", corrupting)
    ds = open_store("memory:")
    result = ingest([folder], ds, shacl=True, batch_size=16)
    assert sorted(result.written) == ["ceasefire-talks-istanbul", "trump-putin-call"]
    (failure,) = result.failures
    assert failure.path.endswith("nato-spending-summit.txt") and "score" in failure.message
    assert triples(ds, "nato-spending-summit") == 0 and triples(ds, "ceasefire-talks-istanbul") > 0


@pytest.mark.parametrize("path", [sample_article(), *sorted((sample_article().parents[1] / "articles").glob("*.txt"))],
                         ids=lambda p: p.stem)
def test_what_extraction_writes_for_each_shipped_article_passes_the_shapes(path):
    from kg.rdf.validate import violations

    assert violations(document_graph(extract(read_article(path)))) == []
