"""Print a briefing's HTML to PDF with headless Chromium: A4 or letter, page numbers, bookmarks.

No LaTeX: Chromium prints the same self-contained HTML page. The copy printed gets a
print style sheet (:func:`print_css`) with the paper size and "page / pages" at the
foot of every page; ``--generate-pdf-document-outline`` turns every section heading
into a PDF bookmark. Chromium stamps the print time into the PDF; that stamp is
replaced by a fixed one, so the same HTML always gives the same PDF bytes (times live
in the manifest only).

>>> from relations.pdf import check_paper, print_css
>>> check_paper("A4"), "size: A4" in print_css("a4"), "size: letter" in print_css("letter")
('a4', True, True)
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import tempfile
from pathlib import Path

from .errors import ParameterError

__all__ = ["PAPERS", "PrintFailed", "check_paper", "chromium_version", "find_chromium", "html_to_pdf"]

#: Paper sizes by name, as CSS ``@page { size: ... }`` spells them.
PAPERS = {"a4": "A4", "letter": "letter"}

_FIXED_DATE = b"D:19700101000000+00'00'"  # same length as Chromium's stamp, so offsets stay valid
_DATES = re.compile(rb"/(?:CreationDate|ModDate) \((D:\d{14}\+00'00')\)")


class PrintFailed(RuntimeError):
    """Chromium did not produce a PDF; the message says why in one line."""


#: Flags for a headless Chromium on a closed machine: no sandbox (root in CI), no GPU, and no
#: background connections (they are refused here, many at a time). The browser tests use them too.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def check_paper(paper: str) -> str:
    """The paper size in lower case; :class:`~relations.ParameterError` for an unknown one."""
    name = str(paper).strip().lower()
    if name not in PAPERS:
        raise ParameterError("paper", f"{paper!r} (allowed: {', '.join(PAPERS)})")
    return name


def print_css(paper: str) -> str:
    """The print style sheet added to the HTML copy that Chromium prints."""
    size = PAPERS[check_paper(paper)]
    return (
        '<style type="text/css" media="print">\n'
        f"@page {{ size: {size}; margin: 16mm 14mm 18mm;\n"
        '  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #555; } }\n'
        "</style>\n"
    )


def for_print(page: str, paper: str) -> str:
    """``page`` with the print style sheet just before ``</head>``."""
    css = print_css(paper)
    head_end = page.lower().rfind("</head>")
    return page[:head_end] + css + page[head_end:] if head_end >= 0 else css + page


def find_chromium() -> str | None:
    """Path of a Chromium binary for PDF output (``$RELATIONS_CHROMIUM`` first)."""
    import shutil

    env = os.environ.get("RELATIONS_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@functools.cache
def chromium_version(binary: str | None = None) -> str:
    """``Chromium 150.0.7871.100``-style version of the binary (recorded with every PDF)."""
    binary = binary or find_chromium()
    if binary is None:
        return "not installed"
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    words = out.stdout.split()
    return " ".join(words[:2]) if len(words) >= 2 else "unknown"


def _fixed_dates(pdf: bytes) -> bytes:
    return _DATES.sub(lambda m: m.group(0).replace(m.group(1), _FIXED_DATE), pdf)


def html_to_pdf(
    html_path: Path,
    pdf_path: Path,
    *,
    paper: str = "a4",
    chromium: str | None = None,
    timeout: int = 120,
) -> Path:
    """Print an HTML file to PDF with headless Chromium; written atomically.

    ``paper`` is ``a4`` or ``letter``; the HTML is printed as it is (add the print style
    sheet with :func:`for_print` first). Raises :class:`PrintFailed` with a one-line
    reason when Chromium cannot be run, hangs or writes no PDF.
    """
    from .outputs import atomic_write

    check_paper(paper)
    binary = chromium or find_chromium()
    if binary is None:
        raise ParameterError("format", "pdf needs Chromium (apt install chromium) or $RELATIONS_CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="relations-pdf-") as tmp:
        target = Path(tmp) / "out.pdf"
        cmd = [
            binary,
            "--headless",
            *CHROMIUM_FLAGS,
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={target}",
            Path(html_path).resolve().as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PrintFailed(f"Chromium did not print {html_path} within {timeout} s") from None
        except OSError as exc:
            raise PrintFailed(f"Chromium ({binary}) could not be started: {exc.strerror or exc}") from None
        if not target.exists() or target.stat().st_size == 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1][:200]
            raise PrintFailed(f"Chromium (exit code {done.returncode}) wrote no PDF: {last}")
        return atomic_write(pdf_path, _fixed_dates(target.read_bytes()))
