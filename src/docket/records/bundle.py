"""Case bundles on disk: reading and checking a folder of YAML files, and writing one.

See docs/bundle-format.md. Reading checks everything before anything is written and reports
every fault with file, record and field; writing is deterministic (records sorted by code,
keys in a fixed order) so that a bundle can be diffed in review and round-trips exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from docket.core import vocab
from docket.core.errors import BundleError, DocketError, ValidationError
from docket.records.canonical import Cleaner, Problems, Resolver
from docket.records.schema import KINDS, Kind

# libyaml's C parser and emitter when PyYAML was built with it (the wheels are): ~10x faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

CASE_FILE = "case.yaml"
CASE_KEYS = ("code", "title", "description", "defaults")


@dataclass
class Bundle:
    """A checked bundle: the case and every record in canonical form, by kind."""

    case: dict[str, Any]
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(v) for v in self.records.values())


def _read_yaml(path: Path, problems: Problems) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(path.name, f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        problems.add(path.name, f"is not valid YAML{at}: {problem}")
        return None


def _lang_map(value: Any, where: str, problems: Problems) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"en": value.strip()}
    if not isinstance(value, dict) or not all(
        k in ("en", "ru") and isinstance(v, str) for k, v in value.items()
    ):
        problems.add(where, "must be text or {en: ..., ru: ...}")
        return {}
    return {k: v.strip() for k, v in sorted(value.items()) if v.strip()}


def read_case(folder: Path, problems: Problems) -> dict[str, Any] | None:
    path = folder / CASE_FILE
    if not path.is_file():
        problems.add(str(folder), f"no {CASE_FILE} here: is this a case bundle folder?")
        return None
    raw = _read_yaml(path, problems)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.add(CASE_FILE, "must be a mapping (code, title, description, defaults)")
        return None
    for key in raw:
        if key not in CASE_KEYS:
            problems.add(f"{CASE_FILE}: {key}", f"unknown field; allowed: {', '.join(CASE_KEYS)}")
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip():
        problems.add(f"{CASE_FILE}: code", "is required (a short name like korday-2020)")
        return None
    defaults = raw.get("defaults") or {}
    clean_defaults: dict[str, str] = {}
    if not isinstance(defaults, dict):
        problems.add(f"{CASE_FILE}: defaults", "must be a mapping")
        defaults = {}
    for key, vname in (("confidentiality", "confidentiality"), ("review_state", "review_states")):
        value = defaults.get(key, "internal" if key == "confidentiality" else "draft")
        try:
            clean_defaults[key] = vocab.check(
                vname, str(value), where=f"{CASE_FILE}: defaults: {key}"
            )
        except DocketError as exc:
            problems.items.append(exc)
    for key in defaults:
        if key not in ("confidentiality", "review_state"):
            problems.add(
                f"{CASE_FILE}: defaults: {key}",
                "unknown default; allowed: confidentiality, review_state",
            )
    return {
        "code": code.strip(),
        "title": _lang_map(raw.get("title"), f"{CASE_FILE}: title", problems),
        "description": _lang_map(raw.get("description"), f"{CASE_FILE}: description", problems),
        "defaults": clean_defaults,
    }


def read_bundle(folder: str | Path, exists_in_db: Resolver | None = None) -> Bundle:
    """Read and check a bundle folder; raise ``BundleError`` listing every fault.

    ``exists_in_db(kind, code)`` lets records refer to records already stored.
    """
    folder = Path(folder)
    problems = Problems()
    if not folder.is_dir():
        raise BundleError([ValidationError("is not a folder", where=str(folder))])
    case = read_case(folder, problems)
    if case is None:
        raise BundleError(problems.items)
    known = {f.name for f in folder.iterdir()}
    for name in sorted(known):
        if (
            name.endswith((".yaml", ".yml"))
            and name != CASE_FILE
            and name not in {k.file for k in KINDS}
        ):
            problems.add(
                name, f"is not a bundle file; expected: {', '.join(k.file for k in KINDS)}"
            )

    raw_by_kind: dict[str, list[tuple[Any, str]]] = {}
    codes: dict[str, set[str]] = {k.name: set() for k in KINDS}
    for kind in KINDS:
        path = folder / kind.file
        if not path.exists():
            continue
        data = _read_yaml(path, problems)
        if data is None:
            continue
        if not isinstance(data, list):
            problems.add(kind.file, "must be a list of records (each starting with '- code: ...')")
            continue
        seen: dict[str, int] = {}
        for i, raw in enumerate(data, 1):
            code = raw.get("code") if isinstance(raw, dict) else None
            where = f"{kind.file}: {code}" if isinstance(code, str) else f"{kind.file}: record {i}"
            if isinstance(code, str):
                if code in seen:
                    problems.add(f"{where}: code", f"is used twice (records {seen[code]} and {i})")
                seen[code] = i
                codes[kind.name].add(code)
            raw_by_kind.setdefault(kind.name, []).append((raw, where))

    def exists(kind: str, code: str) -> bool:
        return code in codes[kind] or (exists_in_db is not None and exists_in_db(kind, code))

    cleaner = Cleaner(case["defaults"], exists, problems)
    bundle = Bundle(case=case)
    for kind in KINDS:
        for raw, where in raw_by_kind.get(kind.name, []):
            record = cleaner.record(kind, raw, where)
            if record is not None:
                bundle.records.setdefault(kind.name, []).append(record)
    _check_proceedings(bundle, problems)
    if problems.items:
        raise BundleError(problems.items)
    return bundle


def check_proceeding(event: dict[str, Any], problems: Problems) -> None:
    """One event against the proceedings stored in the database (for single-record saves)."""
    from docket.records import models as m

    proc = event.get("proceeding")
    if not proc:
        return
    person = m.Proceeding.objects.filter(code=proc).values_list("person__code", flat=True).first()
    for part in event.get("participants", []):
        if part.get("role") == "defendant" and part.get("person") not in (None, person):
            problems.add(
                f"events.yaml: {event['code']}: participants",
                f"defendant {part['person']} is not the person of proceeding {proc} ({person})",
            )


def _check_proceedings(bundle: Bundle, problems: Problems) -> None:
    """A proceeding's steps are about its person: they must not name another defendant."""
    owner = {p["code"]: p.get("person") for p in bundle.records.get("proceeding", [])}
    for event in bundle.records.get("event", []):
        proc = event.get("proceeding")
        if proc not in owner:
            continue
        for part in event.get("participants", []):
            if part.get("role") == "defendant" and part.get("person") not in (None, owner[proc]):
                problems.add(
                    f"events.yaml: {event['code']}: participants",
                    f"defendant {part['person']} is not the person of proceeding "
                    f"{proc} ({owner[proc]})",
                )


# --- writing ------------------------------------------------------------------------------


class _Dumper(_BaseDumper):  # type: ignore[misc,valid-type]
    """Block style for lists of records, literal style for multi-line text."""


def _str(dumper: Any, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


def write_bundle(folder: str | Path, bundle: Bundle) -> list[Path]:
    """Write ``bundle`` as YAML files into ``folder``.

    Files for kinds with no records are removed, so the folder is exactly the case.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    path = folder / CASE_FILE
    path.write_text(dump_yaml(bundle.case), encoding="utf-8")
    written.append(path)
    for kind in KINDS:
        path = folder / kind.file
        records = sorted(bundle.records.get(kind.name, []), key=lambda r: str(r["code"]))
        if records:
            path.write_text(dump_yaml(records), encoding="utf-8")
            written.append(path)
        elif path.exists():
            path.unlink()
    return written


def kind_of(name: str) -> Kind:
    for kind in KINDS:
        if kind.name == name:
            return kind
    raise ValidationError(f"unknown record kind {name!r}")
