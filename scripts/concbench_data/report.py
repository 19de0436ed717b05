"""A report as a list of blocks, rendered to Markdown or to one self-contained HTML page.

Both renderings come from the same blocks, so report.md and report.html never drift apart.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import pandas as pd


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str  # plain text: escaped in both renderings


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame  # rendered as text cells, index dropped


@dataclass(frozen=True)
class Image:
    png: str  # path relative to the report's directory
    alt: str
    svg: str = ""  # the same chart as SVG, linked from the Markdown


@dataclass(frozen=True)
class Code:
    text: str  # preformatted text (a command, a program's output), shown as it is


Block = Union[Heading, Paragraph, Table, Image, Code]


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def markdown_escape(text: str) -> str:
    """Escape what would break a table or start formatting; line breaks become spaces."""
    text = " ".join(str(text).split())
    for char in ("\\", "|", "*", "_", "`", "[", "]", "<", ">"):
        text = text.replace(char, "\\" + char)
    return text


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (pandas' to_markdown needs tabulate, which Debian lacks here)."""
    header = [markdown_escape(name) for name in frame.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in frame.itertuples(index=False, name=None):
        lines.append("| " + " | ".join(markdown_escape(_cell(value)) for value in row) + " |")
    return "\n".join(lines)


def to_markdown(title: str, blocks: list[Block]) -> str:
    parts = [f"# {markdown_escape(title)}"]
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"{'#' * block.level} {markdown_escape(block.text)}")
        elif isinstance(block, Paragraph):
            parts.append(markdown_escape(block.text))
        elif isinstance(block, Table):
            parts.append(markdown_table(block.frame) if not block.frame.empty else "(none)")
        elif isinstance(block, Image):
            svg = f" ([SVG]({block.svg}))" if block.svg else ""
            parts.append(f"![{markdown_escape(block.alt)}]({block.png}){svg}")
        elif isinstance(block, Code):
            fence = "````" if "```" in block.text else "```"
            parts.append(f"{fence}\n{block.text.rstrip()}\n{fence}")
    return "\n\n".join(parts) + "\n"


def to_text(title: str, blocks: list[Block]) -> str:
    """The same report for a terminal: plain text, tables aligned, charts named by their file."""
    parts = [title, "=" * len(title)]
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"{block.text}\n{'-' * len(block.text)}")
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.append(block.frame.to_string(index=False) if not block.frame.empty else "(none)")
        elif isinstance(block, Image):
            parts.append(f"[chart: {block.png}]")
        elif isinstance(block, Code):
            parts.append("\n".join("    " + line for line in block.text.rstrip().splitlines()))
    return "\n\n".join(parts) + "\n"


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 110em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
img { max-width: 100%; height: auto; display: block; margin: 1em 0; }
"""


def html_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p>(none)</p>"
    head = "".join(f"<th>{html.escape(str(name))}</th>" for name in frame.columns)
    rows = [
        "<tr>" + "".join(f"<td>{html.escape(_cell(value))}</td>" for value in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    ]
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _html_image(block: Image, base: Path) -> str:
    # Embedded as base64 PNG so the page is one file that can be mailed or attached to CI.
    data = base64.b64encode((base / block.png).read_bytes()).decode("ascii")
    alt = html.escape(block.alt, quote=True)
    return f'<img alt="{alt}" src="data:image/png;base64,{data}">'


def to_html(title: str, blocks: list[Block], base: Path) -> str:
    """One self-contained page; `base` is the directory the images' paths are relative to."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Table):
            parts.append(html_table(block.frame))
        elif isinstance(block, Image):
            parts.append(_html_image(block, base))
        elif isinstance(block, Code):
            parts.append(f"<pre>{html.escape(block.text.rstrip())}</pre>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
