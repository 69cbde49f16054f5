"""The ``relations`` command: briefings, data checks and table listings.

Run ``relations --help`` or ``relations brief --help``. The parser lives in
:mod:`relations.cli_parser` (its help texts in :mod:`relations.cli_help`); this module turns
every outcome into one line and an exit code, and runs handout, site and verify. ``brief`` and
``batch`` are in :mod:`relations.cli_briefings`, ``check``, ``tables`` and ``describe`` in
:mod:`relations.cli_data`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .cli_briefings import cmd_batch, cmd_brief, need_folder, subparser
from .cli_data import cmd_check, cmd_describe, cmd_tables
from .cli_parser import build_parser
from .errors import DataError, ParameterError

__all__ = ["build_parser", "main"]

#: Operating-system errors that come from the user's input (a path), not from a bug.
USER_OS_ERRORS = (FileNotFoundError, NotADirectoryError, IsADirectoryError, FileExistsError, PermissionError)


def _cmd_handout(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .handout import build_all, build_handout

    sub = subparser(parser, "handout")
    if args.all == bool(args.lesson):
        sub.error("give a LESSON or --all (one of them)")
    need_folder(sub, "--output-dir", args.output_dir)
    if args.data_dir is not None and args.audience == "student":
        sub.error("argument --data-dir: only the --teacher copy reads the data")
    options = {"audience": args.audience, "output_dir": args.output_dir, "timeout": args.timeout}
    if args.data_dir is not None:
        options["data_dir"] = args.data_dir
    try:
        if args.all:
            out = build_all(fmt=args.format or "html", **options)
        else:
            out = build_handout(args.lesson, fmt=args.format or "ipynb", **options)
    except (DataError, ParameterError):
        raise  # one clear message from main()
    except ValueError as exc:  # an unknown lesson
        sub.error(str(exc))
    print(f"wrote {out}")
    return 0


def _cmd_site(args: argparse.Namespace) -> int:
    from .site import build_site

    try:
        result = build_site(args.output_dir, timeout=args.timeout, quiet=args.quiet)
    except ParameterError as exc:
        if exc.parameter != "output_dir":
            raise  # one clear line from main()
        message = str(exc).removeprefix("output_dir: ")
        print(f"relations site: argument --output-dir: {message}", file=sys.stderr)
        return 2
    print(f"wrote {result.index}")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from .manifest import ManifestError
    from .render import BriefingFailed
    from .verify import verify_briefing

    try:
        outcome = verify_briefing(args.briefing)
    except ManifestError as exc:  # no briefing named, or not a sound manifest
        print(f"relations verify: {exc}", file=sys.stderr)
        return 2
    except BriefingFailed as exc:
        print(f"relations verify: the re-render failed: {exc}", file=sys.stderr)
        return 1
    print(outcome)
    return 0 if outcome.identical else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``relations`` command; returns the exit code.

    Ordinary mistakes (a missing folder or file, bad parameters, data that fails its
    checks, Ctrl-C) end in one clear line and exit code 2 (1 for data, 130 for Ctrl-C).
    Anything else is a bug: one line, exit code 1, and the traceback with
    ``RELATIONS_DEBUG=1``. A stop signal while the libraries load is one line too
    (:mod:`relations.startup`); ``brief`` and ``batch`` then install their own handling.
    """
    from .startup import forget_unhandled_interrupt, release_early_stops, skip_unused_imports

    skip_unused_imports()
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # named by the subcommand that was given them, with its own --help
        subparser(parser, args.command).error(f"unrecognized arguments: {' '.join(extra)}")
    prog = f"relations {args.command}"
    if args.command not in ("brief", "batch"):  # those two install their own handling when they write
        release_early_stops()
    try:
        return _main(args, parser)
    except BrokenPipeError:  # e.g. `relations describe events | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        forget_unhandled_interrupt()  # else `python -m` may end by SIGINT instead of 130
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except DataError as exc:
        print(f"{prog}: the data does not pass its checks.\n{exc}", file=sys.stderr)
        return 1
    except ParameterError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    except USER_OS_ERRORS as exc:
        print(f"{prog}: {_os_error(exc)}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as exc:
        print(f"{prog}: a file is not UTF-8 text ({exc})", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug, not a mistake: say so, and how to see the traceback
        if os.environ.get("RELATIONS_DEBUG"):
            raise
        first = (str(exc).strip().splitlines() or [""])[0]
        print(f"{prog}: unexpected error: {type(exc).__name__}: {first}", file=sys.stderr)
        print("(run with RELATIONS_DEBUG=1 for the traceback)", file=sys.stderr)
        return 1


def _os_error(exc: OSError) -> str:
    """``path: reason`` for an OSError raised by the OS, else the message as written."""
    if exc.filename is not None and exc.strerror:
        return f"{exc.filename}: {exc.strerror.lower()}"
    return str(exc)


def _main(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.command == "brief":
        return cmd_brief(args, subparser(parser, "brief"))
    if args.command == "handout":
        return _cmd_handout(args, parser)
    if args.command == "batch":
        return cmd_batch(args, parser)
    if args.command == "verify":
        return _cmd_verify(args)
    if args.command == "site":
        return _cmd_site(args)
    if args.command == "check":
        return cmd_check(args)
    if args.command == "tables":
        return cmd_tables(args)
    if args.command == "describe":
        return cmd_describe(args)
    return 2  # pragma: no cover - argparse enforces a command


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
