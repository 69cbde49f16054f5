"""The ``relations`` command: briefings, data checks and table listings.

Run ``relations --help`` or ``relations brief --help``. The parser lives in
:mod:`relations.cli_parser`; this module runs the commands.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from .cli_parser import build_parser
from .errors import DataError, ParameterError

__all__ = ["build_parser", "main"]

#: Operating-system errors that come from the user's input (a path), not from a bug.
USER_OS_ERRORS = (FileNotFoundError, NotADirectoryError, IsADirectoryError, FileExistsError, PermissionError)


def _cmd_brief(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import signal

    from . import render
    from .render import BriefingFailed, Interrupted

    def _stop(signum: int, frame: object) -> None:
        render.STOPPED.append(signum)  # honoured before publishing, even if the raise is lost
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise Interrupted(signum)  # unwinds like Ctrl-C: kernel shut down, temporary files removed

    def _quiet(unraisable: Any) -> None:  # a stop that landed in a finaliser: honoured, not printed
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            hook(unraisable)

    previous = {s: signal.signal(s, _stop) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    hook, sys.unraisablehook = sys.unraisablehook, _quiet
    try:
        return _brief(args, parser)
    except Interrupted as exc:
        print("relations brief: terminated", file=sys.stderr)
        return 128 + exc.signum
    except BriefingFailed as exc:
        print(f"relations brief: {exc}", file=sys.stderr)
        return 1
    finally:
        sys.unraisablehook = hook
        render.STOPPED.clear()
        for s, handler in previous.items():
            signal.signal(s, handler)


def _brief(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .render import render_briefing

    params: dict[str, object] = {
        "start": args.start,
        "end": args.end,
        "domains": args.domains,
        "data_dir": args.data_dir,
        "length": args.length,
        "since": args.since,
    }
    if args.title is not None:
        params["title"] = args.title
    option = {
        "start": "--start",
        "end": "--end",
        "domains": "--domain",
        "title": "--title",
        "data_dir": "--data-dir",
        "format": "--format",
        "paper": "--paper",
        "length": "--length",
        "since": "--since",
        "timeout": "--timeout",
        "output_dir": "--output-dir",
    }
    _need_folder(parser, "--output-dir", args.output_dir)
    try:
        result = render_briefing(
            params,
            output_dir=args.output_dir,
            formats=tuple(dict.fromkeys(args.formats or ["html", "ipynb"])),
            progress=not args.quiet,
            timeout=args.timeout,
            paper=args.paper,
        )
    except ParameterError as exc:
        if exc.parameter == "data_dir" and not args.data_dir:  # from $RELATIONS_DATA
            parser.error(str(exc).removeprefix("data_dir: "))
        parser.error(f"argument {option.get(exc.parameter, exc.parameter)}: {exc}")
    except DataError as exc:
        print(f"relations brief: the data does not pass its checks.\n{exc}", file=sys.stderr)
        return 1
    for path in result.removed:
        print(f"removed {path.name}: written from other inputs")
    for path in result.flagged:
        print(f"not in the manifest: {path.name} (written from other inputs, edited since)")
    for kind, path in result.outputs.items():
        print(f"wrote {kind}: {path}")
    return 0


def _cmd_handout(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .handout import build_all, build_handout

    sub = _subparser(parser, "handout")
    if args.all == bool(args.lesson):
        sub.error("give a LESSON or --all (one of them)")
    _need_folder(sub, "--output-dir", args.output_dir)
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


def _cmd_batch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .batch import BatchInterrupted, SpecError, load_spec, run_batch, summary_table

    if args.output_dir is not None:
        _need_folder(_subparser(parser, "batch"), "--output-dir", args.output_dir)
    try:
        spec = load_spec(args.spec)  # its errors start with the file's name
    except SpecError as exc:
        print(f"relations batch: {exc}", file=sys.stderr)
        return 2
    try:
        jobs, index = run_batch(
            spec,
            output_dir=args.output_dir,
            jobs=args.jobs,
            force=args.force,
            progress=not args.quiet,
            timeout=args.timeout,
            max_briefings=args.max_briefings,
        )
    except SpecError as exc:  # a key of the spec: say which file it is in
        print(f"relations batch: {args.spec}: {exc}", file=sys.stderr)
        return 2
    except BatchInterrupted as exc:
        print(summary_table(exc.jobs))
        print(f"relations batch: {exc}", file=sys.stderr)
        return 128 + exc.signum
    print(summary_table(jobs))
    print(f"index: {index}")
    return 1 if any(j.status == "failed" for j in jobs) else 0


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


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The parser of one subcommand (for its usage line in error messages)."""
    return parser._subparsers._group_actions[0].choices[name]  # type: ignore[union-attr]


def _need_folder(parser: argparse.ArgumentParser, option: str, path: str) -> None:
    """Refuse (exit 2) an output folder that exists but is not a folder."""
    if os.path.exists(path) and not os.path.isdir(path):
        parser.error(f"argument {option}: {path!r} is a file, not a folder")


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
        _subparser(parser, args.command).error(f"unrecognized arguments: {' '.join(extra)}")
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


def _os_error(exc: OSError) -> str:
    """``path: reason`` for an OSError raised by the OS, else the message as written."""
    if exc.filename is not None and exc.strerror:
        return f"{exc.filename}: {exc.strerror.lower()}"
    return str(exc)


def _main(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.command == "brief":
        return _cmd_brief(args, _subparser(parser, "brief"))
    if args.command == "handout":
        return _cmd_handout(args, parser)
    if args.command == "batch":
        return _cmd_batch(args, parser)
    if args.command == "verify":
        return _cmd_verify(args)
    if args.command == "site":
        return _cmd_site(args)
    if args.command == "check":
        from .validation import check

        try:
            result = check(args.data_dir)
        except DataError as exc:
            try:  # the verdict stands even if a pager closes the pipe early
                print(exc, file=sys.stderr, flush=True)
            except BrokenPipeError:
                import os

                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stderr.fileno())
            return 1
        print(result)
        return 0
    if args.command == "tables":
        from .loaders import load, tables
        from .schema import read_package

        pkg = read_package(args.data_dir)
        lines = [
            f"{name:<21} {len(load(name, data_dir=args.data_dir)):>5} rows  {pkg.table(name).title}"
            for name in tables(data_dir=args.data_dir)
        ]
        return _listing("tables", args.data_dir, "\n".join(lines))
    if args.command == "describe":
        from .loaders import describe

        try:
            text = str(describe(args.table, data_dir=args.data_dir))
        except DataError:
            raise  # the table does not load: a data failure (exit 1), not a usage error
        except ValueError as exc:  # an unknown table
            print(f"relations describe: {exc}", file=sys.stderr)
            return 2
        return _listing("describe", args.data_dir, text)
    return 2  # pragma: no cover - argparse enforces a command


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
