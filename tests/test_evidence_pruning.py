"""Which evidence is kept (optout.engine.evidence.prune): pure, on a folder of files, no browser.

Two failing runs of a 50 MB page once left 101 MB behind, and nothing was ever removed (issue 19).
"""

from __future__ import annotations

from pathlib import Path

from optout.engine.evidence import prune


def _capture(root: Path, platform: str, when: int, stem: str = "default-ai-training", size: int = 10) -> list[Path]:
    """A failure's screenshot and HTML, saved at second `when` of a day."""
    folder = root / platform
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / f"20261201T{when // 3600:02d}{when // 60 % 60:02d}{when % 60:02d}Z-{stem}"
    files = [base.with_suffix(".png"), base.with_suffix(".html")]
    for f in files:
        f.write_bytes(b"x" * size)
    return files


def _left(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def test_the_newest_few_captures_of_each_setting_are_kept(tmp_path: Path) -> None:
    old = [_capture(tmp_path, "linkedin", t) for t in range(8)]
    other = [_capture(tmp_path, "linkedin", t, "default-other") for t in range(2)]
    elsewhere = [_capture(tmp_path, "x", t) for t in range(3)]
    removed = prune(tmp_path, keep_each=5, keep_bytes=10**9)
    assert sorted(removed) == sorted(f for files in old[:3] for f in files)
    assert all(f.exists() for files in old[3:] + other + elsewhere for f in files)


def test_the_total_size_is_bounded_oldest_first(tmp_path: Path) -> None:
    first = _capture(tmp_path, "linkedin", 1, size=50)
    second = _capture(tmp_path, "linkedin", 2, size=50)
    other = _capture(tmp_path, "x", 3, size=50)
    removed = prune(tmp_path, keep_each=5, keep_bytes=250)  # three captures of 100 bytes each
    assert sorted(removed) == sorted(first)
    assert all(f.exists() for f in second + other)


def test_the_newest_capture_of_each_setting_is_kept_whatever_its_size(tmp_path: Path) -> None:
    big = _capture(tmp_path, "linkedin", 1, size=1000)
    bigger = _capture(tmp_path, "x", 2, size=2000)
    assert prune(tmp_path, keep_each=5, keep_bytes=100) == []
    assert all(f.exists() for f in big + bigger)


def test_files_that_are_not_captures_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "linkedin").mkdir()
    notes = tmp_path / "linkedin" / "my-notes.txt"
    notes.write_text("mine")
    for t in range(3):
        _capture(tmp_path, "linkedin", t)
    prune(tmp_path, keep_each=1, keep_bytes=10**9)
    assert _left(tmp_path) == [
        "20261201T000002Z-default-ai-training.html",
        "20261201T000002Z-default-ai-training.png",
    ] + ["my-notes.txt"]
    assert prune(tmp_path / "missing") == []
