"""A report as a list of blocks, rendered to Markdown or to one self-contained HTML page.

Both renderings come from the same blocks, so report.md and report.html never drift apart. Text is plain
(escaped in both renderings) or a tuple of inline parts: plain strings, `Strong` and `Link` (to a heading of
the same report: `#` + `anchor(heading text)`, which is the id GitHub gives the heading in Markdown too).
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Union

import pandas as pd


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Link:
    text: str
    target: str  # "#anchor" of a heading in the same report


Inline = Union[str, Strong, Link]
Text = Union[str, tuple]  # plain text, or a tuple of Inline parts


def anchor(text: str) -> str:
    """The id of a heading: GitHub's rule for Markdown headings (lower case, punctuation dropped, spaces to
    hyphens), used as the HTML id too, so one link works in both renderings."""
    kept = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return kept.replace(" ", "-")


@dataclass(frozen=True)
class Heading:
    text: str  # unique within a report: its anchor is made from it
    level: int = 2

    @property
    def anchor(self) -> str:
        return anchor(self.text)


@dataclass(frozen=True)
class Paragraph:
    text: Text  # escaped in both renderings


@dataclass(frozen=True)
class Bullets:
    items: tuple  # of Text, one per bullet


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


@dataclass(frozen=True)
class Details:
    """Blocks a reader opens when needed: collapsed in HTML (<details>, its id the summary's anchor), under a
    heading of `level` in Markdown (whose anchor is the same), so a link to it works in both."""

    summary: str  # unique within a report, like a heading's text
    blocks: tuple  # of Block
    level: int = 3
    elsewhere: str = ""  # when set, Markdown and text show this line (where the same rows are) instead of the blocks


@dataclass(frozen=True)
class Html:
    """A fragment only HTML can show (an interactive chart, a script): as it is in report.html; `markdown` stands
    in for it in report.md (nothing when empty)."""

    html: str
    markdown: str = ""


@dataclass(frozen=True)
class Row:
    """Blocks side by side in HTML where they fit (collapsed Details on one line; one that is opened takes the whole
    width), one after another in Markdown and text."""

    blocks: tuple  # of Block


Block = Union[Heading, Paragraph, Bullets, Table, Image, Code, Details, Html, Row]


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def markdown_escape(text: str, strip: bool = True) -> str:
    """Escape what would break a table or start formatting; line breaks become spaces (runs of white space one
    space, and none at the ends unless `strip` is False: a part of a longer text keeps its spaces)."""
    text = re.sub(r"\s+", " ", str(text))
    text = text.strip() if strip else text
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


def _parts(text: Text) -> tuple:
    return (text,) if isinstance(text, str) else tuple(text)


def _written(text: Text, plain: Callable[[str], str], strong: Callable[[str], str],
             link: Callable[[str, str], str]) -> str:
    """Text in one format: each part by the function for its kind (`link` gets the text and the target)."""

    def part_of(part: Union[str, Strong, Link]) -> str:
        if isinstance(part, Strong):
            return strong(part.text)
        if isinstance(part, Link):
            return link(part.text, part.target)
        return plain(part)

    return "".join(part_of(part) for part in _parts(text))


def markdown_text(text: Text) -> str:
    return _written(text, lambda part: markdown_escape(part, strip=False), lambda bold: f"**{markdown_escape(bold)}**",
                    lambda words, target: f"[{markdown_escape(words)}]({target})").strip()


def plain_text(text: Text) -> str:
    return _written(text, str, str, lambda words, _target: words)


class _Format:
    """One rendering of blocks: a method per block type, named after it (`heading`, `table`, …), each returning
    the block's parts; a Details block renders its summary, then its own blocks."""

    def render(self, blocks) -> list[str]:
        parts: list[str] = []
        for block in blocks:
            parts += getattr(self, type(block).__name__.lower())(block)
        return parts

    def html(self, block: Html) -> list[str]:  # its stand-in, where the format is not HTML
        return [block.markdown] if block.markdown else []

    def row(self, block: Row) -> list[str]:  # one after another, where the format is not HTML
        return self.render(block.blocks)


class _LineFormat(_Format):
    """What Markdown and plain text share: a paragraph is its text, a bullet a "- " line, an empty table "(none)";
    each says how it writes rich text (`text`) and a table that has rows (`frame`)."""

    def text(self, text: Text) -> str:
        raise NotImplementedError

    def frame(self, frame: pd.DataFrame) -> str:
        raise NotImplementedError

    def paragraph(self, block: Paragraph) -> list[str]:
        return [self.text(block.text)]

    def bullets(self, block: Bullets) -> list[str]:
        return ["\n".join(f"- {self.text(item)}" for item in block.items)]

    def table(self, block: Table) -> list[str]:
        return [self.frame(block.frame) if not block.frame.empty else "(none)"]


class _Markdown(_LineFormat):
    def text(self, text: Text) -> str:
        return markdown_text(text)

    def frame(self, frame: pd.DataFrame) -> str:
        return markdown_table(frame)

    def heading(self, block: Heading) -> list[str]:
        return [f"{'#' * block.level} {markdown_escape(block.text)}"]

    def details(self, block: Details) -> list[str]:
        inside = [markdown_escape(block.elsewhere)] if block.elsewhere else self.render(block.blocks)
        return [f"{'#' * block.level} {markdown_escape(block.summary)}", *inside]

    def image(self, block: Image) -> list[str]:
        svg = f" ([SVG]({block.svg}))" if block.svg else ""
        return [f"![{markdown_escape(block.alt)}]({block.png}){svg}"]

    def code(self, block: Code) -> list[str]:
        fence = "````" if "```" in block.text else "```"
        return [f"{fence}\n{block.text.rstrip()}\n{fence}"]


class _Text(_LineFormat):
    def text(self, text: Text) -> str:
        return plain_text(text)

    def frame(self, frame: pd.DataFrame) -> str:
        return frame.to_string(index=False)

    def heading(self, block: Heading) -> list[str]:
        return [f"{block.text}\n{'-' * len(block.text)}"]

    def details(self, block: Details) -> list[str]:
        return [block.summary, *([block.elsewhere] if block.elsewhere else self.render(block.blocks))]

    def image(self, block: Image) -> list[str]:
        return [f"[chart: {block.png}]"]

    def code(self, block: Code) -> list[str]:
        return ["\n".join("    " + line for line in block.text.rstrip().splitlines())]


def to_markdown(title: str, blocks: list[Block]) -> str:
    return "\n\n".join([f"# {markdown_escape(title)}", *_Markdown().render(blocks)]) + "\n"


def markdown_blocks(blocks: list[Block]) -> str:
    """Blocks as a Markdown fragment (e.g. the stand-in of an Html block)."""
    return "\n\n".join(_Markdown().render(blocks))


def to_text(title: str, blocks: list[Block]) -> str:
    """The same report for a terminal: plain text, tables aligned, charts named by their file."""
    return "\n\n".join([title, "=" * len(title), *_Text().render(blocks)]) + "\n"


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 110em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { background: #f0f0f0; }
img { max-width: 100%; height: auto; display: block; margin: 1em 0; }
.table { overflow-x: auto; }
details { margin: 0.8em 0; }
summary { cursor: pointer; font-weight: 600; }
.row { display: flex; flex-wrap: wrap; column-gap: 2.5em; }
.row > details[open] { flex-basis: 100%; }
"""

# A cell that reads as a figure (1,234 · 0.95× · 12.5 k · 3 of 5 · 1.0–1.2) is right-aligned.
_FIGURE = re.compile(r"^[-+]?[0-9][0-9,.]*(\s?[kMGTµmn]?)?(×|%|\s?[a-zµ/]+)?(\s?[–-]\s?[0-9][0-9,.]*.*)?$")


def _html_cell(value: object) -> str:
    text = _cell(value)
    numeric = bool(_FIGURE.match(text))
    return f'<td class="num">{html.escape(text)}</td>' if numeric else f"<td>{html.escape(text)}</td>"


def html_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p>(none)</p>"
    head = "".join(f"<th>{html.escape(str(name))}</th>" for name in frame.columns)
    rows = ["<tr>" + "".join(_html_cell(value) for value in row) + "</tr>"
            for row in frame.itertuples(index=False, name=None)]
    return f'<div class="table"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def html_text(text: Text) -> str:
    return _written(text, html.escape, lambda bold: f"<strong>{html.escape(bold)}</strong>",
                    lambda words, target: f'<a href="{html.escape(target, quote=True)}">{html.escape(words)}</a>')


def _html_image(block: Image, base: Path) -> str:
    # Embedded as base64 PNG so the page is one file that can be mailed or attached to CI.
    data = base64.b64encode((base / block.png).read_bytes()).decode("ascii")
    alt = html.escape(block.alt, quote=True)
    return f'<img alt="{alt}" src="data:image/png;base64,{data}">'


class _Html(_Format):
    def __init__(self, base: Path) -> None:
        self.base = base  # the directory the images' paths are relative to

    def heading(self, block: Heading) -> list[str]:
        return [f'<h{block.level} id="{block.anchor}">{html.escape(block.text)}</h{block.level}>']

    def paragraph(self, block: Paragraph) -> list[str]:
        return [f"<p>{html_text(block.text)}</p>"]

    def bullets(self, block: Bullets) -> list[str]:
        return ["<ul>" + "".join(f"<li>{html_text(item)}</li>" for item in block.items) + "</ul>"]

    def details(self, block: Details) -> list[str]:
        return [f'<details id="{anchor(block.summary)}"><summary>{html.escape(block.summary)}</summary>',
                *self.render(block.blocks), "</details>"]

    def html(self, block: Html) -> list[str]:
        return [block.html]

    def row(self, block: Row) -> list[str]:
        return ['<div class="row">', *self.render(block.blocks), "</div>"]

    def table(self, block: Table) -> list[str]:
        return [html_table(block.frame)]

    def image(self, block: Image) -> list[str]:
        return [_html_image(block, self.base)]

    def code(self, block: Code) -> list[str]:
        return [f"<pre>{html.escape(block.text.rstrip())}</pre>"]


def to_html(title: str, blocks: list[Block], base: Path, style: str = "") -> str:
    """One self-contained page; `base` is the directory the images' paths are relative to; `style` is CSS
    added to the page's own."""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}{style}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        *_Html(base).render(blocks),
        "</body></html>",
    ]) + "\n"
