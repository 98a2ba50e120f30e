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


def test_side_files_resume_with_the_output(tmp_path: Path) -> None:
    """A side file written batch by batch is cut back with the output to the last record."""
    source = tmp_path / "in.csv"
    source.write_text("id,name\n")
    fp = fingerprint(source, {"t": 0.7})
    side = tmp_path / "out.jsonl.tokens.partial"
    first = ResumableOutput(tmp_path / "out.jsonl", fp, [side])
    assert first.open() == 0
    first.write_batch("", 0, ["header\n"])
    first.write_batch("r1\n", 1, ["t1\n"])
    with side.open("ab") as handle:  # the side file got a batch, then the run was killed
        handle.write(b"t2\n")
    again = ResumableOutput(tmp_path / "out.jsonl", fp, [side])
    assert again.open() == 1 and again.resumed
    assert side.read_text() == "header\nt1\n"
    side.write_bytes(b"header\n")  # shorter than recorded: that run cannot be resumed
    third = ResumableOutput(tmp_path / "out.jsonl", fp, [side])
    assert third.open() == 0 and not third.resumed and side.read_bytes() == b""
    plain = ResumableOutput(tmp_path / "out.jsonl", fp)  # a run without the side file
    assert plain.open() == 0 and not plain.resumed
