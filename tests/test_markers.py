"""Tests that run notebooks carry their marker, so that the fast subset stays fast.

``pytest -m "not slow and not browser and not notebooks"`` is the quick loop; plain
``pytest`` (CI) runs everything. A test that starts a Jupyter kernel, directly or through a
fixture or a helper of its module, must say so with ``@pytest.mark.notebooks`` (or ``slow``,
``browser``; a module-level ``pytestmark`` counts). This file reads the test modules with
:mod:`ast` (no test is imported or run) and names every test that breaks the rule.

What counts as "may start a kernel":

* a call of ``render_briefing``, ``execute_quietly``, ``run_batch``, ``build_handout``,
  ``build_all``, ``build_site`` or papermill's ``execute_notebook``;
* ``relations.cli.main([...])`` with ``brief``, ``batch``, ``handout`` or ``site`` in its
  argument list;
* a subprocess (``subprocess.run``/``Popen``/``check_call``/``check_output``, or a helper of the
  module that wraps one) whose command names ``brief``, ``batch``, ``handout`` or ``site``,
  unless it only asks for ``--help``.

A test needs no marker when the kernel is stubbed for it: the test, or a fixture it asks for
(in its module or in ``conftest.py``), does ``monkeypatch.setattr("relations.render.execute_quietly", ...)``
(this covers in-process calls only, never a subprocess). The few tests that call one of these
only to see it refused before any kernel starts are listed in ``REFUSED_BEFORE_A_KERNEL`` with
the reason; an entry that no longer names such a test fails too, so the list cannot go stale.
"""

from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

MARKERS = {"notebooks", "slow", "browser"}
KERNEL_CALLS = {
    "render_briefing",
    "execute_quietly",
    "run_batch",
    "build_handout",
    "build_all",
    "build_site",
    "execute_notebook",
}
KERNEL_COMMANDS = {"brief", "batch", "handout", "site"}
SUBPROCESS_CALLS = {"run", "Popen", "check_call", "check_output", "call"}
STUB_TARGETS = ("relations.render.execute_quietly", "relations.execution.execute_quietly")

# "module.py::test" -> why it cannot start a kernel although it calls one of the above.
REFUSED_BEFORE_A_KERNEL = {
    "test_cli.py::test_bad_parameters_exit_2_naming_the_parameter": "argparse refuses the values (exit 2)",
    "test_teaching.py::test_student_copies_hold_no_solution_and_no_output": "student copies are not executed",
    "test_site.py::test_site_refuses_a_file_as_output_dir": "the output folder is refused first",
}


def _name(node: ast.AST) -> str:
    """``foo`` for ``foo(...)``, ``bar`` for ``x.y.bar(...)``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _markers(decorators: list[ast.expr]) -> set[str]:
    """``{"notebooks"}`` for ``@pytest.mark.notebooks`` (with or without a call)."""
    found = set()
    for dec in decorators:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Attribute)
            and target.value.attr == "mark"
        ):
            found.add(target.attr)
    return found


def _is_stub(call: ast.Call) -> bool:
    return (
        _name(call.func) == "setattr"
        and bool(call.args)
        and isinstance(call.args[0], ast.Constant)
        and call.args[0].value in STUB_TARGETS
    )


@dataclass
class Module:
    path: Path
    tree: ast.Module
    functions: dict[str, ast.FunctionDef] = field(default_factory=dict)
    fixtures: dict[str, ast.FunctionDef] = field(default_factory=dict)
    module_markers: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, path: Path) -> Module:
        return cls.parse(path.read_text(encoding="utf-8"), path)

    @classmethod
    def parse(cls, source: str, path: Path) -> Module:
        mod = cls(path, ast.parse(source, filename=str(path)))
        tree = mod.tree
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                mod.functions.setdefault(node.name, node)
                decorators = (d.func if isinstance(d, ast.Call) else d for d in node.decorator_list)
                if any(_name(d) == "fixture" for d in decorators):
                    mod.fixtures[node.name] = node
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
            ):
                value = node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
                mod.module_markers |= _markers(list(value))
        return mod


class Scanner:
    def __init__(self, module: Module, conftest: Module) -> None:
        self.module = module
        self.conftest = conftest
        self._subprocess_helpers = {
            name for name, fn in module.functions.items() if not name.startswith("test_") and self._spawns(fn)
        }

    @staticmethod
    def _spawns(fn: ast.AST) -> bool:
        return any(
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and _name(n.func.value) == "subprocess"
            and n.func.attr in SUBPROCESS_CALLS
            for n in ast.walk(fn)
        )

    def _fixture(self, name: str) -> ast.FunctionDef | None:
        return self.module.fixtures.get(name) or self.conftest.fixtures.get(name)

    def _reach(self, fn: ast.FunctionDef, seen: set[str] | None = None) -> list[ast.FunctionDef]:
        """``fn``, the helpers of its module that it calls and the fixtures it asks for, transitively."""
        seen = set() if seen is None else seen
        if fn.name in seen:
            return []
        seen.add(fn.name)
        found = [fn]
        callees = {_name(n.func) for n in ast.walk(fn) if isinstance(n, ast.Call)}
        for name in sorted(callees):
            helper = self.module.functions.get(name)
            if helper is not None and not name.startswith("test_"):
                found += self._reach(helper, seen)
        for arg in fn.args.args:
            fixture = self._fixture(arg.arg)
            if fixture is not None:
                found += self._reach(fixture, seen)
        return found

    def kernel_calls(self, test: ast.FunctionDef) -> tuple[list[str], bool]:
        """What in ``test`` (or what it reaches) may start a kernel, and whether the kernel is stubbed."""
        reached = self._reach(test)
        stubbed = any(_is_stub(n) for fn in reached for n in ast.walk(fn) if isinstance(n, ast.Call))
        calls: list[str] = []
        for fn in reached:
            for node in ast.walk(fn):
                if not isinstance(node, ast.Call):
                    continue
                name = _name(node.func)
                line = f"{self.module.path.name}:{node.lineno}"
                if name in KERNEL_CALLS and not stubbed:
                    calls.append(f"{name}() at {line}")
                elif name == "main" and not stubbed and _strings(node) & KERNEL_COMMANDS:
                    calls.append(f"main({sorted(_strings(node) & KERNEL_COMMANDS)[0]!r}) at {line}")
                elif self._is_spawn(node):
                    words = _strings(node)
                    if words & KERNEL_COMMANDS and "--help" not in words:
                        calls.append(f"subprocess `relations {sorted(words & KERNEL_COMMANDS)[0]}` at {line}")
        return calls, stubbed

    def _is_spawn(self, call: ast.Call) -> bool:
        func = call.func
        if isinstance(func, ast.Attribute) and _name(func.value) == "subprocess":
            return func.attr in SUBPROCESS_CALLS
        return isinstance(func, ast.Name) and func.id in self._subprocess_helpers

    def tests(self):
        top = self.module.tree.body
        for node in ast.walk(self.module.tree):
            if isinstance(node, ast.ClassDef):
                class_markers = _markers(node.decorator_list)
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name.startswith("test_"):
                        yield item, class_markers
            elif isinstance(node, ast.FunctionDef) and node.name.startswith("test_") and node in top:
                yield node, set()


def _test_modules() -> list[Path]:
    return sorted(p for p in TESTS.glob("test_*.py") if p.name != Path(__file__).name)


def unmarked_in(module: Module, conftest: Module) -> dict[str, list[str]]:
    """``{"test": [what may start a kernel, ...]}`` for the tests of ``module`` lacking a marker."""
    scanner = Scanner(module, conftest)
    found = {}
    for test, class_markers in scanner.tests():
        if (_markers(test.decorator_list) | class_markers | module.module_markers) & MARKERS:
            continue
        calls, _ = scanner.kernel_calls(test)
        if calls:
            found[test.name] = calls
    return found


def scan() -> dict[str, list[str]]:
    """``{"module.py::test": [what may start a kernel, ...]}`` for every test lacking a marker."""
    conftest = Module.read(TESTS / "conftest.py")
    return {
        f"{path.name}::{name}": calls
        for path in _test_modules()
        for name, calls in unmarked_in(Module.read(path), conftest).items()
    }


def test_tests_that_may_start_a_kernel_carry_a_marker():
    unmarked = {k: v for k, v in scan().items() if k not in REFUSED_BEFORE_A_KERNEL}
    assert not unmarked, "add @pytest.mark.notebooks (or slow/browser) to:\n" + "\n".join(
        f"  {test}: {', '.join(calls)}" for test, calls in sorted(unmarked.items())
    )


def test_the_refused_list_names_unmarked_tests_that_call_a_kernel():
    found = scan()
    stale = sorted(set(REFUSED_BEFORE_A_KERNEL) - set(found))
    assert not stale, f"drop from REFUSED_BEFORE_A_KERNEL (no longer unmarked callers): {stale}"


def _parse(source: str) -> dict[str, list[str]]:
    """Scan one made-up module (for the tests of the scanner itself)."""
    return unmarked_in(Module.parse(source, Path("test_made_up.py")), Module.parse("", Path("conftest.py")))


RUN = "def run(*a):\n    return subprocess.run(['relations', *a])\n"


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("def test_a(tmp_path):\n    render_briefing({}, output_dir=tmp_path)\n", ["test_a"]),
        ("@pytest.mark.notebooks\ndef test_a(tmp_path):\n    render_briefing({})\n", []),
        ("pytestmark = [pytest.mark.notebooks]\ndef test_a():\n    run_batch({})\n", []),
        ("pytestmark = pytest.mark.skipif(True, reason='x')\ndef test_a():\n    run_batch({})\n", ["test_a"]),
        # through a module helper and through a fixture
        ("def _go():\n    execute_quietly('x')\ndef test_a():\n    _go()\n", ["test_a"]),
        (
            "@pytest.fixture\ndef made():\n    return render_briefing({})\ndef test_a(made):\n    pass\n",
            ["test_a"],
        ),
        # stubbed kernel: fine in-process, never for a subprocess
        (
            "def test_a(monkeypatch):\n    monkeypatch.setattr('relations.render.execute_quietly', f)\n"
            "    run_batch({})\n",
            [],
        ),
        (
            "def test_a(monkeypatch):\n    monkeypatch.setattr('relations.render.execute_quietly', f)\n"
            "    subprocess.run(['relations', 'brief'])\n",
            ["test_a"],
        ),
        # subprocesses, directly or through a helper; --help starts no kernel
        ("def test_a():\n    subprocess.run([sys.executable, '-m', 'relations.cli', 'batch'])\n", ["test_a"]),
        (RUN + "def test_a():\n    run('brief', '--start', 'x')\n", ["test_a"]),
        (RUN + "def test_a():\n    run('brief', '--help')\n", []),
        (RUN + "def test_a():\n    run('check')\n", []),
        (RUN + "def test_a():\n    run('site', '--output-dir', 'x')\n", ["test_a"]),
        (RUN + "def test_a():\n    run('site', '--help')\n", []),
        ("def test_a():\n    main(['handout', '2', '--teacher'])\n", ["test_a"]),
        ("class TestX:\n    def test_a(self):\n        build_handout('2')\n", ["test_a"]),
        ("@pytest.mark.slow\nclass TestX:\n    def test_a(self):\n        build_handout('2')\n", []),
    ],
)
def test_the_scanner_finds_unmarked_kernel_calls(source, flagged):
    assert sorted(_parse(source)) == flagged


def _pytest_options() -> dict:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["tool"]["pytest"]["ini_options"]


def test_plain_pytest_deselects_nothing():
    """CI runs plain ``pytest``: no default ``-m``/``-k``/deselect may hide tests (or all of them,
    which pytest reports as exit code 5)."""
    addopts = _pytest_options().get("addopts", "")
    addopts = " ".join(addopts) if isinstance(addopts, list) else addopts
    for flag in ("-m", "-k", "--deselect", "--ignore", "--co", "--collect-only", "--lf", "--last-failed"):
        assert flag not in addopts.split(), f"addopts must not carry {flag}: {addopts!r}"
    assert "--strict-markers" in addopts.split(), "a misspelt marker must fail, not silently select nothing"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    runs = [line for line in ci.splitlines() if "-m pytest" in line and not line.lstrip().startswith("#")]
    assert runs, ".ci/run must run pytest"
    for line in runs:
        words = line.split("-m pytest", 1)[1].split()
        assert not {"-m", "-k", "--deselect", "--lf"} & set(words), f".ci/run must run the full suite: {line}"


def test_markers_are_declared():
    declared = {m.split(":")[0].strip() for m in _pytest_options()["markers"]}
    assert declared >= MARKERS
