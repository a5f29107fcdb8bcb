"""The `kg` command on the sample: build, query (table/CSV/JSON), queries, validate, export."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest
from rdflib import Dataset, Graph

from kg.cli import main
from kg.queries import run
from kg.store import open_store


@pytest.fixture()
def built(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 0
    capsys.readouterr()
    return tmp_path


def test_build_prints_a_summary_and_writes_store_and_export(tmp_path):
    out = subprocess.run([sys.executable, "-m", "kg", "build", "--store", str(tmp_path / "s"),
                          "--export", str(tmp_path / "g.nq")], capture_output=True, text=True, check=True)
    printed = {line.rsplit(None, 1)[0].strip(): int(line.split()[-1].replace(",", ""))
               for line in out.stdout.splitlines() if line.startswith("  ")}
    store = open_store(tmp_path / "s", read_only=True)
    summary = dict(zip(*run(store, "summary")[["what", "count"]].T.values))
    store.close()
    assert printed == summary and printed["actors"] > 0 and printed["stances: oppose"] > 0
    ds = Dataset()
    ds.parse(tmp_path / "g.nq", format="nquads")
    assert len(ds) == summary["triples"]


def test_query_by_name_with_param_as_table_csv_json(built, capsys):
    assert main(["query", "--name", "urged-not-to", "--param", "holder=trump"]) == 0
    table = capsys.readouterr().out
    assert "id:putin" in table and "issue:war-escalation" in table
    assert main(["query", "-n", "offices", "--format", "csv"]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert {"holderLabel", "role", "organizationLabel"} <= set(df.columns) and len(df) == 7
    assert main(["query", "-n", "spokespersons", "-f", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"speakerLabel": "Dmitry Peskov"}.items() <= rows[1].items() or \
        any(r["speakerLabel"] == "Dmitry Peskov" for r in rows)


def test_query_from_file_and_expression(built, capsys, tmp_path):
    rq = tmp_path / "who.rq"
    rq.write_text("# Who opposes an issue?\n# param issue iri: the issue\n"
                  "SELECT ?who WHERE { ?who kg:opposes ?issue }\n")
    assert main(["query", str(rq), "--param", "issue=territorial-concessions", "-f", "csv"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 4  # header + 3 opponents
    assert main(["query", "-e", "ASK { id:trump kg:opposes issue:war-escalation }", "-f", "csv"]) == 0
    assert "True" in capsys.readouterr().out
    assert main(["query", "-e", "CONSTRUCT { ?s kg:speaksFor ?o } WHERE { ?s kg:speaksFor ?o }"]) == 0
    assert "speaksFor" in capsys.readouterr().out


def test_query_errors_exit_2_without_traceback(built, capsys):
    assert main(["query", "-e", "SELECT ?x WHERE { ?x ?y }"]) == 2
    err = capsys.readouterr().err
    assert "SPARQL" in err and "Traceback" not in err and "1:" in err
    assert main(["query", "-n", "no-such-query"]) == 2
    assert "known queries" in capsys.readouterr().err
    assert main(["query", "-n", "offices", "--param", "nobody"]) == 2
    assert "name=value" in capsys.readouterr().err
    assert main(["query", "-n", "offices", "--param", "holder=<bad>"]) == 2


def test_queries_lists_every_named_query(capsys):
    assert main(["queries"]) == 0
    out = capsys.readouterr().out
    for name in ("urged-not-to", "positions-on-issue", "offices", "events-of-actor", "disagreements",
                 "evidence-of-actor", "spokespersons"):
        assert name in out


def test_validate_annotation_and_store(built, capsys, sample_annotation_path):
    assert main(["validate", str(sample_annotation_path)]) == 0
    assert "valid" in capsys.readouterr().out
    assert main(["validate"]) == 0
    assert "conforms" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["nq", "trig", "ttl", "jsonld"])
def test_export_formats_round_trip(built, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    assert main(["export", "--format", fmt, "--out", str(out)]) == 0
    ds = Dataset()
    ds.parse(out, format={"nq": "nquads", "trig": "trig", "ttl": "turtle", "jsonld": "json-ld"}[fmt])
    store = open_store("kg-out/store", read_only=True)
    total = int(run(store, "summary").set_index("what").loc["triples", "count"])
    store.close()
    if fmt in ("ttl", "jsonld"):  # written without graphs: the merge, a triple held by several graphs once
        assert 0 < len(ds) <= total
    else:
        assert len(ds) == total


def test_help_explains_store_uris(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "memory:" in capsys.readouterr().out


def test_load_reports_the_quads_of_each_file_and_the_store_gains_them(built, capsys, tmp_path):
    nq = built / "kg-out" / "graph.nq"
    lines = [line for line in nq.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert main(["load", str(nq), "--store", str(tmp_path / "copy")]) == 0
    assert f"Loaded {nq}: {len(lines):,} quads in " in capsys.readouterr().out
    from kg.store import open_store

    ds = open_store(tmp_path / "copy", read_only=True)
    (row,) = ds.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(row.n) == len(lines)
    ds.close()


def test_validate_names_the_evidence_whose_offsets_are_off(built, capsys):
    from kg.annotation import load_annotation
    from kg.rdf.mapping import document_graph
    from kg.rdf.namespaces import graph_for
    from kg.resources import sample_annotation
    from kg.store import open_store, write_graphs

    doc = load_annotation(sample_annotation())
    doc.stances[0].evidence.start += 1
    ds = open_store(built / "kg-out" / "store")
    write_graphs(ds, {graph_for(doc.article.id): document_graph(doc)})
    ds.close()
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if "offsets must select" in x)
    assert "/article/trump-putin-call " in line and "/evidence/" in line


def test_export_takes_the_format_from_the_file_suffix(built, tmp_path):
    out = tmp_path / "guess.ttl"
    assert main(["export", "--out", str(out)]) == 0
    g = Graph().parse(out, format="turtle")  # would fail on N-Quads
    assert len(g) > 0
    assert main(["export", "--out", str(tmp_path / "guess.xyz")]) == 2
    assert not (tmp_path / "guess.xyz").exists()


def test_a_reader_that_stops_early_is_not_an_error(built):
    # `kg export | head -1`: the pipe closes long before the export (over 64 KB) is written
    proc = subprocess.Popen([sys.executable, "-m", "kg", "export"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and err == ""
