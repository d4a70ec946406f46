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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "postgresql_only: runs in the PostgreSQL suite only (deselected on SQLite)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of PostgreSQL-only behaviour belong to the PostgreSQL suite, which `make test`
    always runs as well; on SQLite they are deselected (listed as such), not skipped."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    keep = [i for i in items if i.get_closest_marker("postgresql_only") is None]
    dropped = [i for i in items if i.get_closest_marker("postgresql_only") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
