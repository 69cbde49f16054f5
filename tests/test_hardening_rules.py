"""Planted faults for the rule on repeated CAMEO codes (``rules.cameo_also_once``).

As in ``tests/test_check_rules.py``: one fault planted in the tiny valid package, and the
complete list of problems is exactly the expected message (file, row, column, the event's key
and the repeated code).
"""

from __future__ import annotations

import pytest
from conftest import write_tables

import relations
from relations import rules

ALLOWED = "(allowed: each code once, and not the event's own cameo_code)"
ONE = "events.csv:2:cameo_also: event 'ev-2024-01-02-one' lists CAMEO"
TWO = "events.csv:3:cameo_also: event 'ev-2024-02-01-two' lists CAMEO"


def _with_code_043(tables):
    tables["cameo_codes"].append({**tables["cameo_codes"][0], "cameo_code": "043", "label": "Host a visit"})


def _own_code(tables):
    tables["events"][0]["cameo_also"] = "042"


def _twice(tables):
    _with_code_043(tables)
    tables["events"][1]["cameo_also"] = "043; 043"


def _three_times_and_own(tables):
    _with_code_043(tables)
    tables["events"][0]["cameo_also"] = "043;042;043;043"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            _own_code,
            [f"{ONE} '042', its own cameo_code {ALLOWED}"],
        ),
        (
            _twice,
            [f"{TWO} '043' twice {ALLOWED}"],
        ),
        (
            _three_times_and_own,
            [
                f"{ONE} '043' 3 times {ALLOWED}",
                f"{ONE} '042', its own cameo_code {ALLOWED}",
            ],
        ),
    ],
    ids=["own-code", "twice", "three-times-and-own"],
)
def test_a_repeated_cameo_code_is_named(tmp_path, tiny_tables, edit, expected):
    edit(tiny_tables)
    with pytest.raises(relations.DataError) as info:
        relations.check(write_tables(tmp_path / "bad", tiny_tables))
    assert info.value.problems == expected


def test_distinct_secondary_codes_pass(tmp_path, tiny_tables):
    _with_code_043(tiny_tables)
    tiny_tables["events"][0]["cameo_also"] = "043"
    assert relations.check(write_tables(tmp_path / "ok", tiny_tables)).rows["events"] == 2


def test_the_rule_is_registered_and_the_record_passes_it():
    assert rules.cameo_also_once in rules.RULES
    assert rules.cameo_also_once(*_record()) == []


def _record():
    from relations.csvfiles import read_records
    from relations.schema import read_package

    pkg = read_package()
    header, records = read_records(pkg, pkg.table("events"))
    return pkg, {"events": [(i, dict(zip(header, cells, strict=True))) for i, cells in records]}


def test_rule_modules_hold_nothing_but_rules():
    """The check's cache is keyed on rules.py and on each registered rule's source
    (``validation.code_fingerprint``): a helper or constant kept in another rule module could
    change what passes without running the check again."""
    import ast
    import importlib
    from pathlib import Path

    names = {fn.__name__ for fn in rules.RULES}
    for module in ("relations.reference_rules", "relations.consistency_rules", "relations.date_rules",
                   "relations.text_rules"):  # fmt: skip
        tree = ast.parse(Path(importlib.import_module(module).__file__).read_text(encoding="utf-8"))
        for node in tree.body[1:]:  # after the docstring
            allowed = isinstance(node, ast.Import | ast.ImportFrom) or (
                isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["__all__"]  # type: ignore[attr-defined]
            )
            if isinstance(node, ast.FunctionDef):
                allowed = node.name in names
            assert allowed, f"{module}:{node.lineno}: only rules listed in rules.RULES belong here"


def test_the_check_cache_key_covers_the_helpers_beside_a_rule(tmp_path, monkeypatch):
    """A rule module's helpers decide what passes as much as its rules do: editing one (not
    the rule function itself) must change the code fingerprint, or a stale 'passed' is reused."""
    import importlib
    import sys

    from relations import rules, validation

    module = tmp_path / "planted_rules_mod.py"
    module.write_text("LIMIT = 1\n\n\ndef planted_rule(tables):\n    return []\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    mod = importlib.import_module("planted_rules_mod")
    monkeypatch.setattr(rules, "RULES", [*rules.RULES, mod.planted_rule])
    before = validation.code_fingerprint()
    module.write_text("LIMIT = 2\n\n\ndef planted_rule(tables):\n    return []\n", encoding="utf-8")
    assert validation.code_fingerprint() != before
    sys.modules.pop("planted_rules_mod", None)
