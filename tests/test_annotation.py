"""The curated annotation of the sample, and what the loader refuses (with file, line and field)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kg.annotation import load_annotation
from kg.errors import InputError
from kg.rdf.vocabulary import load_issues, load_speech_acts

REQUIRED_ACTORS = {"trump", "putin", "zelensky", "harris", "biden", "sullivan", "peskov", "bauer",
                   "nato", "kremlin", "ukraine-government", "ukraine", "russia", "united-states"}
# Verified Wikidata items (see README, "Linking to Wikidata")
QIDS = {"trump": "Q22686", "putin": "Q7747", "zelensky": "Q3874799", "harris": "Q10853588",
        "biden": "Q6279", "nato": "Q7184", "ukraine": "Q212", "russia": "Q159", "united-states": "Q30"}


@pytest.fixture(scope="module")
def doc(sample_annotation_path):
    return load_annotation(sample_annotation_path)


def test_every_required_actor_is_annotated_with_its_wikidata_item(doc):
    actors = {a.id: a for a in doc.actors}
    assert REQUIRED_ACTORS <= set(actors)
    for ident, qid in QIDS.items():
        assert actors[ident].wikidata == qid
    places = {p.id: p for p in doc.places}
    assert places["kyiv"].wikidata == "Q1899" and places["kyiv"].metonym_for == "ukraine-government"
    assert places["moscow-kremlin"].metonym_for == "kremlin"


def test_every_stance_quotes_its_sentence_at_the_right_offsets(doc, sample_text):
    assert len(doc.stances) >= 15
    for s in doc.stances:
        ev = s.evidence
        assert sample_text[ev.start:ev.end] == ev.quote
        # a whole sentence: starts a line or follows a sentence end, and ends with a full stop
        assert ev.start == 0 or sample_text[ev.start - 1] in " \n"
        assert ev.quote.rstrip().endswith((".", '"'))


def test_stances_use_the_shipped_vocabularies(doc):
    acts, issues = load_speech_acts(), load_issues()
    assert {"urge", "warn", "welcome", "question", "insist", "express-interest", "intend"} <= acts
    for s in doc.stances:
        assert s.speech_act in acts
        if s.target_kind == "issue":
            assert s.target in issues


def _mutate(tmp_path: Path, src: Path, edit) -> Path:
    shutil.copy(src.with_suffix(".txt"), tmp_path / src.with_suffix(".txt").name)
    data = yaml.safe_load(src.read_text())
    edit(data)
    out = tmp_path / src.name
    out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return out


@pytest.mark.parametrize("edit, field, words", [
    (lambda d: d["stances"][0].update(holder="nobody"), "holder", "not declared"),
    (lambda d: d["stances"][0].update(evidence="Putin urged Trump to escalate."), "evidence", "not in the article"),
    (lambda d: d["stances"][0].update(polarity="maybe"), "polarity", "not one of"),
    (lambda d: d["stances"][0].update(speech_act="shout"), "speech_act", "not one of"),
    (lambda d: d["stances"][0].update(score=0.5), "score", "contradicts"),
    (lambda d: d["actors"][0].update(wikidata="22686"), "wikidata", "Wikidata id"),
    (lambda d: d["actors"][0].update(colour="red"), "colour", "unknown field"),
    (lambda d: d["actors"].append(dict(d["actors"][0])), "id", "declared twice"),
    (lambda d: d["posts"][0].update(organization="kyiv"), "organization", "is a place"),
    (lambda d: d["events"][0].update(date="Thursday"), "date", "not a date"),
    (lambda d: d["stances"][0].pop("target"), "target", "missing"),
])
def test_bad_annotation_names_file_line_and_field(tmp_path, sample_annotation_path, edit, field, words):
    path = _mutate(tmp_path, sample_annotation_path, edit)
    with pytest.raises(InputError) as err:
        load_annotation(path)
    e = err.value
    assert e.source == str(path) and e.field == field and words in e.message
    assert e.line and path.read_text().splitlines()[e.line - 1].strip()  # a real line of the file
    assert str(path) in str(e) and f"'{field}'" in str(e)


def test_malformed_yaml_reports_the_line(tmp_path):
    (tmp_path / "a.txt").write_text("Some text.")
    bad = tmp_path / "a.yaml"
    bad.write_text("article:\n  file: a.txt\nactors:\n  - {id: x, label: [unclosed\n")
    with pytest.raises(InputError) as err:
        load_annotation(bad)
    assert err.value.line == 5 and "not valid YAML" in err.value.message


def test_repeated_quote_needs_an_offset(tmp_path):
    (tmp_path / "a.txt").write_text("X said no. X said no.")
    ann = tmp_path / "a.yaml"
    base = ("article: {file: a.txt}\nactors: [{id: x, label: X, type: Person}]\n"
            "stances: [{holder: x, target: war-escalation, polarity: oppose, speech_act: oppose, "
            "evidence: 'X said no.'%s}]\n")
    ann.write_text(base % "")
    with pytest.raises(InputError, match="more than once"):
        load_annotation(ann)
    ann.write_text(base % ", evidence_start: 11")
    assert load_annotation(ann).stances[0].evidence.start == 11
    ann.write_text(base % ", evidence_start: 3")
    with pytest.raises(InputError, match="at offset 3"):
        load_annotation(ann)


def test_unreadable_article_is_named(tmp_path):
    ann = tmp_path / "a.yaml"
    ann.write_text("article: {file: missing.txt}\n")
    with pytest.raises(InputError) as err:
        load_annotation(ann)
    assert "missing.txt" in str(err.value) and "no such file" in str(err.value)
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    ann.write_text("article: {file: bin.txt}\n")
    with pytest.raises(InputError, match="binary"):
        load_annotation(ann)
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 talks".encode("latin-1"))
    ann.write_text("article: {file: latin.txt}\n")
    with pytest.raises(InputError, match="UTF-8"):
        load_annotation(ann)


def test_paths_the_system_refuses_and_control_characters_give_one_clear_line(tmp_path):
    from kg.cli import main

    ann = tmp_path / "a.yaml"
    ann.write_text(f"article: {{file: '{'9' * 300}.txt'}}\n")
    with pytest.raises(InputError, match="too long"):
        load_annotation(ann)
    ann.write_text('article: {file: "x\\x1ey.txt"}\n')
    with pytest.raises(InputError) as err:
        load_annotation(ann)
    assert len(str(err.value).splitlines()) == 1 and "\\x1e" in str(err.value)
    assert main(["build", "--store", str(tmp_path / "s"), f"{tmp_path}/{'9' * 300}.txt"]) == 2
