from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC = ROOT / "tests" / "records" / "data" / "synthetic"
KORDAY = ROOT / "cases" / "korday-2020"


@pytest.fixture
def synthetic_bundle(tmp_path: Path) -> Path:
    """A writable copy of the synthetic bundle (invented placeholders, not real people)."""
    target = tmp_path / "synthetic"
    target.mkdir()
    for f in SYNTHETIC.iterdir():
        (target / f.name).write_bytes(f.read_bytes())
    return target


@pytest.fixture
def korday_bundle(tmp_path: Path) -> Path:
    target = tmp_path / "korday-2020"
    target.mkdir()
    for f in KORDAY.iterdir():
        (target / f.name).write_bytes(f.read_bytes())
    return target
