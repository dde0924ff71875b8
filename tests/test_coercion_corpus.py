"""Real replies of the embedded model coerce to their reviewed outcomes.

The corpus is collected by scripts/collect_corpus.py: raw replies of
SmolLM2-135M-Instruct to editor, envelope, tool-call and architect prompts
at several temperatures. Each record carries the outcome a careful reader
reaches by hand: the file's exact text or why there is none; for a
blueprint, whether it validates and its file paths.
"""

import json
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage

from archedit.blueprint import Blueprint
from archedit.coercion import Failure, coerce_file, coerce_json

CORPUS = Path(__file__).parent / "data" / "coercion_corpus.jsonl"
CASES = [json.loads(line) for line in CORPUS.read_text().splitlines() if line]
OUTCOMES = {"ok"} | {str(failure) for failure in Failure}


def message(case: dict) -> AIMessage:
    """The reply as the chat model returned it, stop reason included."""
    metadata = {"finish_reason": case["finish_reason"]}
    return AIMessage(content=case["content"], response_metadata=metadata)


def outcome(coerced) -> str:
    return "ok" if coerced.ok else str(coerced.failure)


def params(cases: list[dict]) -> list:
    """Cases as parameters; where review disagrees with coercion, a strict xfail.

    Such a record keeps what a careful reader extracts and why coercion
    differs. Once coercion learns the case the strict xfail fails, and the
    record's disagreement is to be removed.
    """
    return [
        pytest.param(
            case,
            id=case["id"],
            marks=[pytest.mark.xfail(reason=case["disagreement"], strict=True)]
            if "disagreement" in case
            else [],
        )
        for case in cases
    ]


FILES = [case for case in CASES if case["target"] != "blueprint"]
BLUEPRINTS = [case for case in CASES if case["target"] == "blueprint"]


@pytest.mark.parametrize("case", params(FILES))
def test_file_reply(case):
    coerced = coerce_file(message(case), case["target"])

    assert outcome(coerced) == case["outcome"], coerced.message
    assert coerced.value == case["expected_content"]


@pytest.mark.parametrize("case", params(BLUEPRINTS))
def test_blueprint_reply(case):
    coerced = coerce_json(message(case), Blueprint)

    assert outcome(coerced) == case["outcome"], coerced.message
    paths = [spec.path for spec in coerced.value.files] if coerced.ok else None
    assert paths == case["expected_paths"]


def test_corpus_is_well_formed():
    ids = [case["id"] for case in CASES]
    assert len(CASES) >= 60
    assert len(set(ids)) == len(ids)
    for case in CASES:
        assert case["outcome"] in OUTCOMES, case["id"]
        usable = case["outcome"] == "ok"
        if case["target"] == "blueprint":
            assert (case["expected_paths"] is not None) == usable, case["id"]
        else:
            assert (case["expected_content"] is not None) == usable, case["id"]


def test_corpus_spans_prompts_and_temperatures():
    assert {case["prompt"] for case in CASES} == {
        "editor",
        "envelope",
        "envelope_example",
        "tool_text",
        "tool_text_example",
        "architect",
        "architect_constrained",
    }
    assert {case["temperature"] for case in CASES} == {0.0, 0.7, 1.2}
