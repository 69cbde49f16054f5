"""The commands that read the data: ``relations check``, ``tables`` and ``describe`` (run by
:func:`relations.cli.main`). A listing is shown even for data that fails its checks (it helps
find the fault), with one warning line and exit code 1; a pager that closes the pipe early
does not change the verdict.
"""

from __future__ import annotations

import argparse
import os
import sys

from .errors import DataError

__all__ = ["cmd_check", "cmd_describe", "cmd_tables"]


def cmd_check(args: argparse.Namespace) -> int:
    """``relations check``: every problem on stderr and exit 1, or the summary and 0."""
    from .validation import check

    try:
        result = check(args.data_dir)
    except DataError as exc:
        try:  # the verdict stands even if a pager closes the pipe early
            print(exc, file=sys.stderr, flush=True)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stderr.fileno())
        return 1
    print(result)
    return 0


def cmd_tables(args: argparse.Namespace) -> int:
    """``relations tables``: each table's name, row count and title."""
    from .loaders import load, tables
    from .schema import read_package

    pkg = read_package(args.data_dir)
    lines = [
        f"{name:<21} {len(load(name, data_dir=args.data_dir)):>5} rows  {pkg.table(name).title}"
        for name in tables(data_dir=args.data_dir)
    ]
    return _listing("tables", args.data_dir, "\n".join(lines))


def cmd_describe(args: argparse.Namespace) -> int:
    """``relations describe TABLE``: its fields, types and provenance."""
    from .loaders import describe

    try:
        text = str(describe(args.table, data_dir=args.data_dir))
    except DataError:
        raise  # the table does not load: a data failure (exit 1), not a usage error
    except ValueError as exc:  # an unknown table
        print(f"relations describe: {exc}", file=sys.stderr)
        return 2
    return _listing("describe", args.data_dir, text)


def _listing(command: str, data_dir: str | None, text: str) -> int:
    """Print a listing, then the verdict on the data (which a closed pipe does not change)."""
    try:
        print(text, flush=True)
    except BrokenPipeError:  # e.g. `relations tables | head -1`: the rest goes nowhere
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return _unchecked(command, data_dir)


def _unchecked(command: str, data_dir: str | None) -> int:
    """After a listing: 0 if the data passes its checks, else one warning line and 1.

    Listings are shown either way (they help find the fault), but never as if the data
    were sound; the check is cached, so a sound folder costs nothing more.
    """
    from .paths import data_dir as resolve
    from .validation import check

    try:
        check(data_dir)
    except DataError as exc:
        folder = resolve(data_dir)
        n = len(exc.problems)
        print(
            f"relations {command}: warning: the data in {folder} does not pass its checks "
            f"({n} problem{'s' * (n != 1)}); run 'relations check --data-dir {folder}' for the list",
            file=sys.stderr,
        )
        return 1
    return 0
