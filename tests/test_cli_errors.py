"""Bad input through the real ``kg`` command: one paragraph naming file and line or field,
exit code 2, no traceback, and the existing store left exactly as it was."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import build
from kg.resources import sample_annotation

from test_faults import dump

SAMPLE = sample_annotation().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli-errors") / "store"
    build(store=str(path)).store.close()
    return path


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    shutil.copy(sample_annotation().with_suffix(".txt"), tmp_path / "trump-putin-call.txt")
    return tmp_path


def kg_fails(store: Path, *args: str, names: list[str]) -> str:
    """Run ``kg ARGS --store STORE``; check the failure contract and return the message."""
    before = dump(store)
    done = subprocess.run([sys.executable, "-m", "kg", *args, "--store", str(store)],
                          capture_output=True, text=True, timeout=300)
    err = done.stderr.strip()
    assert done.returncode == 2, (done.returncode, err)
    assert "Traceback" not in done.stderr
    assert err.count("\n\n") == 0 and len(err.splitlines()) == 1, f"not one paragraph: {err!r}"
    assert err.startswith(f"kg {args[0]}: error: ")
    for name in names:
        assert name in err, f"{name!r} not named in: {err}"
    assert dump(store) == before, "a failed command changed the store"
    return err


def annotation(work: Path, name: str, text: str) -> str:
    path = work / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_malformed_yaml_names_the_file_and_line(store, work):
    bad = annotation(work, "bad.yaml", SAMPLE.replace("actors:\n  - {id: trump,", "actors:\n  - {id: trump,,: [", 1))
    err = kg_fails(store, "build", bad, names=["bad.yaml"])
    assert re.search(r"bad\.yaml:\d+", err) and "not valid YAML" in err


def test_unknown_entity_reference_names_the_field(store, work):
    bad = annotation(work, "unknown.yaml", SAMPLE.replace("holder: bauer", "holder: nobody"))
    err = kg_fails(store, "build", bad, names=["unknown.yaml", "field 'holder'", "nobody"])
    assert re.search(r"unknown\.yaml:\d+", err)


def test_evidence_not_in_the_article_names_the_field(store, work):
    bad = annotation(work, "evidence.yaml", SAMPLE.replace("warned that allowing", "warned that letting"))
    err = kg_fails(store, "build", bad, names=["evidence.yaml", "field 'evidence'", "not in the article"])
    assert re.search(r"evidence\.yaml:\d+", err)


@pytest.mark.parametrize("content, why", [
    (None, "no such file"),
    (b"\x00\x01binary\xff" * 50, "binary"),
    (b"caf\xe9 in Latin-1\n", "UTF-8"),
    (b"", "empty"),
    ("directory", "not a regular file"),
])
def test_unreadable_article_names_the_annotation_and_the_article(store, work, content, why):
    target = work / "article.txt"
    if content == "directory":
        target.mkdir()
    elif content is not None:
        target.write_bytes(content)
    bad = annotation(work, "points.yaml", SAMPLE.replace("file: trump-putin-call.txt", "file: article.txt"))
    kg_fails(store, "build", bad, names=["points.yaml", "field 'file'", "article.txt", why])


def test_sparql_syntax_error_names_the_position(store):
    err = kg_fails(store, "query", "-e", "SELECT ?x WHERE { ?x ?y }", names=["SPARQL"])
    assert re.search(r"\b1:\d+", err)


def test_sparql_syntax_error_in_a_file_names_the_file_and_line(store, work):
    rq = work / "broken.rq"
    rq.write_text("# A broken query\nSELECT ?x WHERE {\n  ?x a kg:Person .\n  FILTER (\n}\n", encoding="utf-8")
    err = kg_fails(store, "query", str(rq), names=["broken.rq"])
    assert re.search(r"\b\d+:\d+", err)


def test_bad_parameter_names_the_field(store):
    kg_fails(store, "query", "-n", "urged-not-to", "--param", "holder=<http://x>", names=["holder"])


def test_bad_rdf_file_names_the_file_and_line(store, work):
    nq = work / "bad.nq"
    nq.write_text('<http://a> <http://b> <http://c> <http://g> .\n<http://a> <http://b> "open .\n')
    kg_fails(store, "load", str(nq), names=["bad.nq:2"])


def test_missing_article_is_named_as_missing(store, work):
    err = kg_fails(store, "build", str(work / "nosuch.txt"), names=["nosuch.txt"])
    assert "no such file" in err


def test_unknown_export_name_fails_before_the_store_is_written(store, work):
    kg_fails(store, "build", str(work / "trump-putin-call.txt"), "--export", str(work / "out.xyz"),
             names=["out.xyz", "export format"])


def test_stats_refuses_an_unwritable_out_folder_before_printing_anything(store, work):
    (work / "a-file").write_text("x")
    done = subprocess.run([sys.executable, "-m", "kg", "stats", "--store", str(store), "--out", str(work / "a-file")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and done.stdout == "" and "a-file" in done.stderr


def test_a_parameter_the_query_cannot_take_is_refused(store):
    kg_fails(store, "query", "-n", "summary", "--param", "actor=trump", names=["actor", "summary"])
    kg_fails(store, "query", "-e", "SELECT ?x WHERE { ?s rdfs:label ?x }", "--param", "y=1", names=["?y"])


def test_a_value_outside_a_parameters_listed_values_is_refused(store):
    err = kg_fails(store, "query", "-n", "positions-on-issue", "--param", "polarity=against", names=["polarity"])
    assert "support, oppose, neutral" in err
