"""The ``relations`` command: briefings, data checks and table listings.

Run ``relations --help`` or ``relations brief --help``. The parser lives in
:mod:`relations.cli_parser`; this module runs the commands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .cli_parser import build_parser
from .errors import DataError, ParameterError

__all__ = ["build_parser", "main"]


def _cmd_brief(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .render import BriefingFailed, render_briefing

    params: dict[str, object] = {
        "start": args.start,
        "end": args.end,
        "domains": args.domains,
        "data_dir": args.data_dir,
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
    }
    try:
        result = render_briefing(
            params,
            output_dir=args.output_dir,
            formats=tuple(dict.fromkeys(args.formats or ["html", "ipynb"])),
            progress=not args.quiet,
            timeout=args.timeout,
        )
    except ParameterError as exc:
        parser.error(f"argument {option.get(exc.parameter, exc.parameter)}: {exc}")
    except DataError as exc:
        print(f"relations brief: the data does not pass its checks.\n{exc}", file=sys.stderr)
        return 1
    except BriefingFailed as exc:
        print(f"relations brief: {exc}", file=sys.stderr)
        return 1
    for kind, path in result.outputs.items():
        print(f"wrote {kind}: {path}")
    return 0


def _cmd_handout(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .handout import build_all, build_handout

    sub = parser._subparsers._group_actions[0].choices["handout"]  # type: ignore[union-attr]
    if args.all == bool(args.lesson):
        sub.error("give a LESSON or --all (one of them)")
    try:
        if args.all:
            out = build_all(audience=args.audience, fmt=args.format or "html", output_dir=args.output_dir)
        else:
            out = build_handout(
                args.lesson, audience=args.audience, fmt=args.format or "ipynb", output_dir=args.output_dir
            )
    except ValueError as exc:
        sub.error(str(exc))
    print(f"wrote {out}")
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    from .batch import SpecError, load_spec, run_batch, summary_table

    try:
        spec = load_spec(args.spec)
        jobs, index = run_batch(
            spec,
            output_dir=args.output_dir,
            jobs=args.jobs,
            force=args.force,
            progress=not args.quiet,
            timeout=args.timeout,
        )
    except SpecError as exc:
        print(f"relations batch: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"relations batch: the data does not pass its checks.\n{exc}", file=sys.stderr)
        return 1
    print(summary_table(jobs))
    print(f"index: {index}")
    return 1 if any(j.status == "failed" for j in jobs) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``relations`` command; returns the exit code."""
    from .startup import skip_unused_imports

    skip_unused_imports()
    try:
        return _main(argv)
    except BrokenPipeError:  # e.g. `relations describe events | head`
        sys.stderr.close()
        return 0


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "brief":
        sub = parser._subparsers._group_actions[0].choices["brief"]  # type: ignore[union-attr]
        return _cmd_brief(args, sub)
    if args.command == "handout":
        return _cmd_handout(args, parser)
    if args.command == "batch":
        return _cmd_batch(args)
    if args.command == "verify":
        from .verify import verify_briefing

        try:
            outcome = verify_briefing(args.briefing)
        except FileNotFoundError as exc:
            print(f"relations verify: {exc}", file=sys.stderr)
            return 2
        print(outcome)
        return 0 if outcome.identical else 1
    if args.command == "check":
        from .validation import check

        try:
            print(check(args.data_dir))
        except DataError as exc:
            print(exc, file=sys.stderr)
            return 1
        except FileNotFoundError as exc:
            print(f"relations check: {exc}", file=sys.stderr)
            return 2
        return 0
    if args.command == "tables":
        from .loaders import load, tables
        from .schema import read_package

        pkg = read_package(args.data_dir)
        for name in tables(data_dir=args.data_dir):
            n = len(load(name, data_dir=args.data_dir))
            print(f"{name:<12} {n:>5} rows  {pkg.table(name).title}")
        return 0
    if args.command == "describe":
        from .loaders import describe

        try:
            print(describe(args.table, data_dir=args.data_dir))
        except ValueError as exc:
            print(f"relations describe: {exc}", file=sys.stderr)
            return 2
        return 0
    return 2  # pragma: no cover - argparse enforces a command


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
