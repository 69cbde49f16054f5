"""The honest floor: a briefing as a careful engineer would write it by hand, without notebooks.

    python benchmarks/floor.py OUTPUT_DIR [--start ISO] [--end ISO] [--domains a,b] [--length full]

One plain Python process imports the library, builds every section with
``Briefing.from_parameters(...)`` and ``b.section(name)`` (for every name in
``relations.briefing.section_names()``), saves each chart's PNG (the same bytes the
briefing embeds) as a file, and writes one HTML page: the sections' HTML with every
chart inlined as a ``data:image/png`` URI before its data link. No kernel, no notebook,
no nbconvert; the same data, the same figures drawn at the same size and DPI.
"""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("output_dir")
    ap.add_argument("--start", default="")
    ap.add_argument("--end", default="")
    ap.add_argument("--domains", default="")
    ap.add_argument("--length", default="executive")
    args = ap.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    from markupsafe import escape

    from relations.briefing import Briefing, section_names
    from relations.briefing.charts import Chart

    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    b = Briefing.from_parameters(
        start=args.start,
        end=args.end,
        domains=[d for d in args.domains.split(",") if d],
        length=args.length,
    )
    body: list[str] = []
    n = 0
    for name in section_names():
        section = b.section(name)
        for part in section.parts:
            if isinstance(part, Chart):
                png = part.image.data
                n += 1
                (out / f"figure-{n:02d}-{part.name}.png").write_bytes(png)
                uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
                body.append(f'<img src="{uri}" alt="Chart: {escape(section.heading)}">')
                body.append(part.data.html)
            else:
                body.append(part.html)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(b.title)}</title></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
    (out / "briefing.html").write_text(page, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
