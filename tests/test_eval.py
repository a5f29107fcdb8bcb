"""Evaluation: the metric definitions, and the F1 thresholds on the bundled sample."""
from __future__ import annotations

import copy

import pytest

from kg.annotation import load_annotation
from kg.cli import main
from kg.eval import evaluate, evaluate_annotations
from kg.model import Actor
from kg.resources import sample_annotation


@pytest.fixture(scope="module")
def sample_scores():
    results, _ = evaluate_annotations([sample_annotation()])
    return results[0].summary


def test_entity_linking_f1_on_the_sample(sample_scores):
    assert sample_scores.loc["entities", "f1"] >= 0.95


def test_stance_f1_on_the_sample(sample_scores):
    assert sample_scores.loc["stances", "f1"] >= 0.80


def test_gold_against_itself_is_perfect():
    gold = load_annotation(sample_annotation())
    s = evaluate(gold, gold).summary
    assert (s["f1"] == 1.0).all()


def test_a_wrong_polarity_is_both_a_false_positive_and_a_false_negative():
    gold = load_annotation(sample_annotation())
    pred = copy.deepcopy(gold)
    flipped = next(s for s in pred.stances if s.holder == "bauer")
    flipped.polarity = "support"
    n = len({(s.holder, s.target, s.polarity) for s in gold.stances})
    result = evaluate(pred, gold)
    s = result.summary.loc["stances"]
    assert (s.tp, s.fp, s.fn) == (n - 1, 1, 1)
    # --details names the flipped attestation on both sides
    ev = result.details[result.details.task == "stance evidence"]
    key = f"bauer / {flipped.target} / "
    assert sorted(ev.outcome) == ["fn", "fp"] and all(i.startswith(key) for i in ev["item"])


def test_repeated_evidence_for_one_stance_counts_once():
    gold = load_annotation(sample_annotation())
    pred = copy.deepcopy(gold)
    pred.stances.append(copy.deepcopy(pred.stances[0]))
    n = len({(s.holder, s.target, s.polarity) for s in gold.stances})
    s = evaluate(pred, gold).summary.loc["stances"]
    assert (s.predicted, s.tp, s.fp) == (n, n, 0)


def test_local_actors_align_with_gold_aliases_but_gazetteer_ids_must_match():
    gold = load_annotation(sample_annotation())
    pred = copy.deepcopy(gold)
    pred.actors = [a for a in pred.actors if a.id != "allies-and-experts"] + [
        Actor(id="allies-and-foreign-policy-experts", label="allies and foreign policy experts", kind="Group")]
    for s in pred.stances:
        if s.holder == "allies-and-experts":
            s.holder = "allies-and-foreign-policy-experts"
    summary = evaluate(pred, gold).summary
    assert summary.loc["entities", "f1"] == 1.0 and summary.loc["stances", "f1"] == 1.0
    # a gazetteer id is never re-aligned by label: linking to the wrong known actor is an error
    pred.actors.append(Actor(id="macron", label="the Kremlin", kind="Person"))
    assert evaluate(pred, gold).summary.loc["entities", "fp"] == 1


def test_kg_eval_prints_precision_recall_f1(capsys):
    assert main(["eval", str(sample_annotation())]) == 0
    out = capsys.readouterr().out
    assert "trump-putin-call" in out and "precision" in out and "f1" in out
    assert "entities" in out and "stances" in out


def test_kg_eval_reports_a_bad_annotation_without_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("article: {id: x}\n", encoding="utf-8")
    assert main(["eval", str(bad)]) == 2
    assert "Traceback" not in capsys.readouterr().err
