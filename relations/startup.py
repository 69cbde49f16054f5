"""Start-up of the processes the ``relations`` command owns (library users' processes are left alone).

**Early stops.** ``relations brief`` and ``relations batch`` spend most of their first second
importing libraries (pandas, papermill, nbconvert) before they install their own signal
handling. Python's defaults would then turn Ctrl-C into a ``KeyboardInterrupt`` traceback from
whatever import was running, and let SIGTERM or SIGHUP kill the process without a word. So when
this module is imported in the command's own process (:func:`command_of` reads
``sys.orig_argv``; :mod:`relations.loaders` imports this module before pandas), it installs
:func:`stop_at_once`: one line such as ``relations brief: interrupted`` and exit code 128 + the
signal's number, at once, since nothing has been written and no child started yet. The commands
that write replace it with their own handling (a briefing's cleanup, a batch's cancel and
report); :func:`release_early_stops` gives the other commands Python's defaults back.

**Unused imports.** Importing papermill imports nbformat, which imports ``jsonschema``; when
the optional ``rfc3987_syntax`` package is installed (JupyterLab's dependencies bring it),
``jsonschema`` compiles a grammar for the ``iri`` string format at import time, about 0.8 s on
our machines. No notebook schema uses that format, so the command marks the module as
unavailable before anything imports it: the ``iri`` format is then simply not checked.

>>> import sys
>>> skip_unused_imports(modules={"relations_example_unused": None})
['relations_example_unused']
>>> sys.modules["relations_example_unused"] is None
True
>>> del sys.modules["relations_example_unused"]
"""

from __future__ import annotations

import os
import re
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = [
    "STOPS",
    "command_of",
    "forget_unhandled_interrupt",
    "guard_early_stops",
    "release_early_stops",
    "skip_unused_imports",
]

#: Optional modules that are slow to import and that no code path of the command uses.
UNUSED: dict[str, None] = {"rfc3987_syntax": None}
#: The signals that stop a run: Ctrl-C, ``kill`` and a closed terminal.
STOPS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
#: Python's own handling of each, given back by :func:`release_early_stops`.
DEFAULTS = {
    signal.SIGINT: signal.default_int_handler,
    signal.SIGTERM: signal.SIG_DFL,
    signal.SIGHUP: signal.SIG_DFL,
}
_PROG = ["relations"]


def skip_unused_imports(*, modules: Mapping[str, None] = UNUSED) -> list[str]:
    """Mark ``modules`` as unavailable in this process unless already imported; return those marked."""
    marked = [name for name in modules if name not in sys.modules]
    for name in marked:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    return marked


def command_of(argv: Sequence[str]) -> str | None:
    """``relations CMD`` if ``argv`` (a ``sys.orig_argv``) runs the ``relations`` command, else None.

    >>> command_of(["python3", "-X", "importtime", "-m", "relations.cli", "brief", "--quiet"])
    'relations brief'
    >>> command_of(["python3", "-m", "relations.cli"])
    'relations'
    >>> command_of(["python3", "-m", "pytest"]) is None, command_of(["python3", "-c", "pass"]) is None
    (True, True)
    """
    tokens = iter(argv[1:])
    for token in tokens:
        if token in ("-X", "-W"):  # options that take the next word
            next(tokens, None)
        elif token == "-c":
            return None
        elif token == "-m":
            if next(tokens, None) != "relations.cli":
                return None
            break
        elif not token.startswith("-"):  # a script: the console script pip writes for `relations`
            if Path(token).name != "relations" or not _runs_cli(token):
                return None
            break
    else:
        return None
    args = list(tokens)
    return "relations" + (f" {args[0]}" if args and re.fullmatch(r"[a-z]+", args[0]) else "")


def _runs_cli(script: str) -> bool:
    try:
        with open(script, "rb") as fh:
            return b"relations.cli" in fh.read(4096)
    except OSError:
        return False


def stop_at_once(signum: int, frame: object) -> None:
    """Signal handler: one line naming the command, then exit 128 + ``signum`` (no clean-up runs)."""
    word = "interrupted" if signum == signal.SIGINT else "terminated"
    os.write(2, f"{_PROG[0]}: {word}\n".encode())
    os._exit(128 + signum)


def guard_early_stops(prog: str = "relations") -> bool:
    """Install :func:`stop_at_once` for every stop signal (main thread only); True if installed."""
    if threading.current_thread() is not threading.main_thread():
        return False
    _PROG[0] = prog
    for s in STOPS:
        signal.signal(s, stop_at_once)
    return True


def release_early_stops() -> None:
    """Give Python's own handling back wherever :func:`stop_at_once` is still installed."""
    if threading.current_thread() is not threading.main_thread():
        return
    for s in STOPS:
        if signal.getsignal(s) is stop_at_once:
            signal.signal(s, DEFAULTS[s])


def forget_unhandled_interrupt() -> None:
    """Clear CPython's note that a ``KeyboardInterrupt`` escaped code run by ``exec`` of a string.

    Ctrl-C often lands in such code (dataclasses and pydantic build methods with ``exec``); the
    interpreter notes it and, under ``python -m``, ends the process by SIGINT at exit even though
    the command caught the interrupt and returned 130. Every ``exec`` of a string clears the note
    first, so an empty one clears it.
    """
    exec("")


if (_command := command_of(sys.orig_argv)) is not None:
    guard_early_stops(_command)
