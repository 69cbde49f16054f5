"""The commands that write briefings, ``relations brief`` and ``relations batch`` (run by
:func:`relations.cli.main`), with their handling of stop signals: a briefing unwinds like
Ctrl-C (kernel shut down, temporary files removed, nothing published) and exits 128 + the
signal's number; a batch cancels what has not finished and reports (:mod:`relations.batch`).
Until they install it, :mod:`relations.startup` ends the process at once with one line.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .errors import DataError, ParameterError

__all__ = ["cmd_batch", "cmd_brief", "need_folder", "subparser"]


def cmd_brief(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
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
    need_folder(parser, "--output-dir", args.output_dir)
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


def cmd_batch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .batch import BatchInterrupted, SpecError, load_spec, run_batch, summary_table

    if args.output_dir is not None:
        need_folder(subparser(parser, "batch"), "--output-dir", args.output_dir)
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


def subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The parser of one subcommand (for its usage line in error messages)."""
    return parser._subparsers._group_actions[0].choices[name]  # type: ignore[union-attr]


def need_folder(parser: argparse.ArgumentParser, option: str, path: str) -> None:
    """Refuse (exit 2) an output folder that exists but is not a folder."""
    if os.path.exists(path) and not os.path.isdir(path):
        parser.error(f"argument {option}: {path!r} is a file, not a folder")
