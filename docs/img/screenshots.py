#!/usr/bin/python3
"""The screenshots of report.html in docs/reports.md: its first screen, and one workload's section, as a reader
sees them in a browser 1400 px wide (Debian's headless Chromium), as small palette PNGs.

    /usr/bin/python3 docs/img/screenshots.py REPORT_DIR WORKLOAD OUT_DIR

writes OUT_DIR/report-top.png and OUT_DIR/report-WORKLOAD.png. Headless Chromium draws nothing when it opens a page
at a #fragment, so the section is cut from a screenshot of the whole page: a first pass asks the page where its
sections start (a script added to a copy of it), a second one takes the picture.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

WIDTH, HEIGHT = 1400, 900
MEASURE = ("<script>document.documentElement.dataset.sections = JSON.stringify(Array.from("
           "document.querySelectorAll('h2')).map(function (h) { return [h.id, Math.round(h.getBoundingClientRect().top "
           "+ window.scrollY)]; }));</script></body>")


def chromium(profile: Path, *args: str) -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    done = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                           f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=300)
    done.check_returncode()
    return done.stdout


def small(shot: Path, out: Path, box: tuple[int, int, int, int] | None = None) -> None:
    image = Image.open(shot).convert("RGB")
    (image.crop(box) if box else image).quantize(colors=128).save(out, optimize=True)


def main(report_dir: str, workload: str, out_dir: str) -> None:
    page, out = Path(report_dir) / "report.html", Path(out_dir)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        measured = work / "measure.html"
        measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE, 1), encoding="utf-8")
        dom = chromium(work / "p1", f"--window-size={WIDTH},{HEIGHT}", "--dump-dom", measured.as_uri())
        sections = dict(json.loads(re.search(r'data-sections="([^"]+)"', dom).group(1).replace("&quot;", '"')))
        ids = list(sections)
        start = sections[f"workload-{workload}"]
        end = sections[ids[ids.index(f"workload-{workload}") + 1]]
        chromium(work / "p2", f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={work / 'top.png'}", page.as_uri())
        small(work / "top.png", out / "report-top.png")
        chromium(work / "p3", f"--window-size={WIDTH},{end}", f"--screenshot={work / 'all.png'}", page.as_uri())
        small(work / "all.png", out / f"report-{workload}.png", (0, max(start - 12, 0), WIDTH, end))


if __name__ == "__main__":
    main(*sys.argv[1:])
