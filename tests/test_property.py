"""Property tests: random and hostile annotations, articles and query parameters.

Whatever the input, the loaders either succeed or raise a :class:`kg.errors.KgError` (never
another exception); through the CLI that is exit code 2 and one paragraph naming the file;
and a failed build leaves the store's N-Quads dump unchanged. ``pytest -s`` prints how many
inputs each property was given.
"""
from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.annotation import load_annotation
from kg.build import build
from kg.cli import main
from kg.errors import KgError
from kg.queries import list_queries, run
from kg.resources import sample_annotation, sample_article
from kg.sources import read_article
from kg.store import open_store

from test_faults import HOSTILE, dump

SAMPLE = yaml.safe_load(sample_annotation().read_text(encoding="utf-8"))
TEXT = sample_article().read_text(encoding="utf-8")
TRIED: Counter[str] = Counter()
FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30), st.floats(),
    st.text(max_size=40), st.sampled_from(["", " ", "trump", "putin", "Q0", "Q7747", "urge", "support",
                                           "2024-13-45", "9" * 300, "../../etc/passwd", "\x00", "—"]),
    st.sampled_from(HOSTILE), st.dates(),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3),
                   st.dictionaries(st.text(max_size=8), scalars, max_size=3))
evidence = st.one_of(
    st.text(max_size=80),  # almost never in the article
    st.integers(0, len(TEXT) - 1).flatmap(lambda i: st.integers(i, min(len(TEXT), i + 200)).map(
        lambda j: TEXT[i:j])),  # a real span, often not unique or cutting a word
)


@st.composite
def hostile_annotations(draw) -> dict:
    """The sample annotation with 1–4 random edits: deletions, wrong types, bad references, bad evidence."""
    data = copy.deepcopy(SAMPLE)
    for _ in range(draw(st.integers(1, 4))):
        section = draw(st.sampled_from(sorted(data)))
        node = data[section]
        if isinstance(node, list) and node:
            node = node[draw(st.integers(0, len(node) - 1))]
        if not isinstance(node, dict):
            data[section] = draw(values)
            continue
        field = draw(st.sampled_from(sorted(node) + ["unknown_field"]))
        how = draw(st.sampled_from(["delete", "set", "reference", "evidence", "section"]))
        if how == "delete":
            node.pop(field, None)
        elif how == "set":
            node[field] = draw(values)
        elif how == "reference":
            node[field] = draw(st.sampled_from(["nobody", "trump", "war-escalation", "mar-a-lago",
                                                "trump-putin-call", "UPPER", "a b"]))
        elif how == "evidence":
            node["evidence"] = draw(evidence)
        else:
            data[section] = draw(values)
    return data


def write(path: Path, data: object) -> Path:
    try:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    except (yaml.YAMLError, UnicodeEncodeError):  # e.g. lone surrogates: write what YAML can
        path.write_text(yaml.safe_dump(data, allow_unicode=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    print("\ninputs tried per property:", dict(TRIED), "total", sum(TRIED.values()))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("property")
    (path / "trump-putin-call.txt").write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("property-store") / "store"
    build(store=str(path)).store.close()
    return path


def loads_or_kg_error(path: Path) -> bool:
    """True if the annotation loads; False if it fails with a KgError; anything else fails the test."""
    try:
        load_annotation(path)
        return True
    except KgError as exc:
        assert exc.describe() and "\n\n" not in exc.describe()
        return False


@FAST
@given(hostile_annotations())
def test_hostile_annotations_load_or_raise_kg_errors(folder, data):
    TRIED["annotation mutations"] += 1
    loads_or_kg_error(write(folder / "mutated.yaml", data))


@FAST
@given(st.one_of(st.text(max_size=400), st.binary(max_size=400)))
def test_random_annotation_files_load_or_raise_kg_errors(folder, content):
    TRIED["random annotation files"] += 1
    path = folder / "random.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    loads_or_kg_error(path)


@FAST
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.sampled_from([b"", b" \n", b"\xef\xbb\xbf", b"---\n: :\n---\nbody", b"<html><body></body></html>",
                                  b"---\ndate: yesterday\n---\ntext", b"\xff\xfe\x00t\x00"])),
       st.sampled_from([".txt", ".md", ".html", ""]))
def test_random_article_bytes_read_or_raise_kg_errors(folder, content, suffix):
    TRIED["article bytes"] += 1
    path = folder / f"article{suffix}"
    path.write_bytes(content)
    try:
        read_article(path)
    except KgError:
        pass


QUERIES = list_queries()


@FAST
@given(st.sampled_from(QUERIES), st.data())
def test_random_query_parameters_run_or_raise_kg_errors(store, q, data):
    TRIED["query parameters"] += 1
    params = {}
    for p in q.params:
        if data.draw(st.booleans()):
            params[p.name] = data.draw(st.one_of(st.text(max_size=30), st.sampled_from(HOSTILE),
                                                 st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True)))
    if data.draw(st.booleans(), label="an undeclared parameter"):
        params[data.draw(st.from_regex(r"[a-z]{1,8}", fullmatch=True))] = "x"
    ds = open_store(store, read_only=True)
    try:
        run(ds, q, **params)
    except KgError:
        pass
    finally:
        ds.close()


@SLOW
@given(hostile_annotations())
def test_a_failed_build_leaves_the_store_unchanged(folder, store, data):
    TRIED["builds of mutated annotations"] += 1
    path = write(folder / "build.yaml", data)
    assume(not loads_or_kg_error(path))
    before = dump(store)
    with pytest.raises(KgError):
        build([path], store=str(store)).store.close()
    assert dump(store) == before


@SLOW
@given(hostile_annotations())
def test_the_cli_reports_bad_annotations_as_one_paragraph_with_exit_code_2(folder, store, capsys, data):
    TRIED["CLI builds of mutated annotations"] += 1
    path = write(folder / "cli.yaml", data)
    assume(not loads_or_kg_error(path))
    before = dump(store)
    capsys.readouterr()
    rc = main(["build", str(path), "--store", str(store), "--no-export"])
    out, err = capsys.readouterr()
    assert rc == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith("kg build: error: ") and ("cli.yaml" in err or "trump-putin-call" in err)
    assert dump(store) == before
