"""Checkpointed output: an interrupted run resumes without losing or repeating a row."""

from __future__ import annotations

from pathlib import Path

from discreet.screen.resume import ResumableOutput, fingerprint


def test_fresh_run_writes_atomically(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,name\n")
    out = ResumableOutput(tmp_path / "out.jsonl", fingerprint(source, {"t": 0.7}))
    assert out.open() == 0
    out.write_batch("a\nb\n", 2)
    assert not (tmp_path / "out.jsonl").exists()
    assert out.finish().read_text() == "a\nb\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.jsonl"]


def test_resume_cuts_back_to_the_last_recorded_batch(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,name\n")
    fp = fingerprint(source, {"t": 0.7})
    first = ResumableOutput(tmp_path / "out.jsonl", fp)
    first.open()
    first.write_batch("r1\nr2\n", 2)
    with first.partial.open("ab") as handle:  # a batch written, then killed before recording
        handle.write(b"r3\nr4-half")
    again = ResumableOutput(tmp_path / "out.jsonl", fp)
    assert again.open() == 2 and again.resumed
    again.write_batch("r3\nr4\n", 2)
    assert again.finish().read_text() == "r1\nr2\nr3\nr4\n"


def test_changed_input_or_options_start_over(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,name\n")
    first = ResumableOutput(tmp_path / "out.jsonl", fingerprint(source, {"t": 0.7}))
    first.open()
    first.write_batch("old\n", 1)
    other = ResumableOutput(tmp_path / "out.jsonl", fingerprint(source, {"t": 0.5}))
    assert other.open() == 0 and not other.resumed
    assert other.partial.read_text() == ""
