"""A briefing's cache and verify follow the package's code, not only its version number."""

from __future__ import annotations

import relations.provenance as provenance


def test_the_code_fingerprint_covers_every_module_template_and_text_file(tmp_path, monkeypatch):
    base = provenance.code_sha256()
    assert base and len(base) == 64
    files = provenance.code_files()
    names = {p.name for p in files}
    assert {"scope.py", "sections.yaml", "sentences.yaml", "table.html.j2", "index.html.j2"} <= names
    # a changed sentence template changes the fingerprint
    fake = tmp_path / "relations"
    for p in files:
        target = fake / p.relative_to(provenance.PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(p.read_bytes())
    monkeypatch.setattr(provenance, "PACKAGE", fake)
    provenance.code_sha256.cache_clear()
    same = provenance.code_sha256()
    (fake / "briefing" / "sentences.yaml").write_text("changed: true\n", encoding="utf-8")
    provenance.code_sha256.cache_clear()
    assert provenance.code_sha256() != same
    provenance.code_sha256.cache_clear()
    assert same == base


def test_the_inputs_key_changes_with_the_code():
    m = {k: "x" for k in provenance.INPUTS}
    assert "relations_code_sha256" in provenance.INPUTS
    assert provenance.inputs_key(m) != provenance.inputs_key({**m, "relations_code_sha256": "y"})


def test_verify_names_a_code_change():
    from relations.verify import _check_inputs

    env = provenance.environment()
    old = {
        "data": provenance.table_hashes(None),
        "relations_version": env["relations_version"],
        "dependencies": env["dependencies"],
        "notebook_sha256": "",
        "relations_code_sha256": "0" * 64,
    }
    out: list[str] = []
    _check_inputs(old, None, out)
    assert any(line.startswith("package code changed") for line in out), out
