"""Render a list of report blocks as one self-contained HTML file and as Markdown.

Blocks are plain tuples so the report builder reads top to bottom:
  ("h2" | "h3", text) · ("p", text) · ("list", [text, ...]) · ("banner", text)
  ("fig", file_name, png_bytes, caption) · ("table", caption, DataFrame, csv_name)
HTML embeds every figure as base64 PNG and all CSS inline: no network at all.
"""

from __future__ import annotations

import base64
import html
from typing import Any

import pandas as pd

Block = tuple[Any, ...]

CSS = """
body{font:15px/1.5 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#222;max-width:1180px;
margin:0 auto;padding:0 22px 60px;background:#fcfcfb}
h1{font-size:26px;margin:26px 0 4px}h2{font-size:20px;margin-top:38px;border-bottom:2px solid #ddd;
padding-bottom:3px}h3{font-size:16px;margin-top:24px;color:#333}
.banner{background:#fff3cd;border:1px solid #e0c56b;padding:8px 14px;border-radius:6px;font-weight:600}
.summary{background:#eef5fb;border-left:4px solid #2980b9;padding:6px 18px;border-radius:4px}
figure{margin:14px 0}figure img{max-width:100%;border:1px solid #e5e5e5;background:#fff}
figcaption{font-size:13px;color:#555;margin-top:4px}
table{border-collapse:collapse;font-size:12.5px;margin:8px 0 4px;background:#fff}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f0f0ee}
td:first-child,th:first-child{text-align:left}.cap{font-size:13px;color:#555;margin-top:10px}
.csv{font-size:12px;color:#777}.toc{font-size:13px;margin:6px 0 14px}.toc a{color:#2471a3}code{background:#f2f2f2;padding:0 3px;border-radius:3px}
"""


def _html_table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _anchor(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower())


def to_html(title: str, blocks: list[Block]) -> str:
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
             f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1>"]
    toc = [(_anchor(b[1]), b[1]) for b in blocks if b[0] == "h2"]
    if toc:  # a contents line under the title: in-page links only
        links = " · ".join(f"<a href='#{a}'>{html.escape(t)}</a>" for a, t in toc)
        parts.append(f"<nav class='toc'>{links}</nav>")
    for block in blocks:
        kind = block[0]
        if kind in ("h2", "h3"):
            anchor = _anchor(block[1])
            parts.append(f"<{kind} id='{anchor}'>{html.escape(block[1])}</{kind}>")
        elif kind == "p":
            parts.append(f"<p>{html.escape(block[1])}</p>")
        elif kind == "banner":
            parts.append(f"<p class='banner'>{html.escape(block[1])}</p>")
        elif kind == "list":
            items = "".join(f"<li>{html.escape(t)}</li>" for t in block[1])
            parts.append(f"<div class='summary'><ul>{items}</ul></div>")
        elif kind == "fig":
            data = base64.b64encode(block[2]).decode("ascii")
            parts.append(f"<figure><img class='figure' alt='{html.escape(block[1])}' "
                         f"src='data:image/png;base64,{data}'><figcaption>{html.escape(block[3])}</figcaption></figure>")
        elif kind == "table":
            parts.append(f"<div class='cap'>{html.escape(block[1])}</div>{_html_table(block[2])}")
            if block[3]:
                parts.append(f"<div class='csv'>full table: <code>{html.escape(block[3])}</code></div>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _md_cell(v: object) -> str:
    return str(v).replace("|", "\\|").replace("\n", " ")


def _md_table(df: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(_md_cell(c) for c in df.columns) + " |",
             "|" + "|".join("---" for _ in df.columns) + "|"]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


def to_markdown(title: str, blocks: list[Block]) -> str:
    parts = [f"# {title}"]
    for block in blocks:
        kind = block[0]
        if kind == "h2":
            parts.append(f"## {block[1]}")
        elif kind == "h3":
            parts.append(f"### {block[1]}")
        elif kind == "p":
            parts.append(block[1])
        elif kind == "banner":
            parts.append(f"> **{block[1]}**")
        elif kind == "list":
            parts.append("\n".join(f"- {t}" for t in block[1]))
        elif kind == "fig":
            parts.append(f"![{block[1]}]({block[1]})\n\n*{block[3]}*")
        elif kind == "table":
            parts.append(f"*{block[1]}*\n\n{_md_table(block[2])}")
            if block[3]:
                parts.append(f"Full table: `{block[3]}`")
    return "\n\n".join(parts) + "\n"
