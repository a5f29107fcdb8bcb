"""Read articles (plain text, Markdown, HTML) into :class:`kg.model.Article` objects.

>>> from kg.resources import sample_article
>>> read_article(sample_article()).id
'trump-putin-call'
"""
from __future__ import annotations

import datetime as dt
import re
import stat
from pathlib import Path

import yaml

from .errors import InputError
from .model import Article

MAX_BYTES = 20_000_000  # longer than any news article by three orders of magnitude
TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES
_META_FIELDS = {"id", "title", "date", "url", "publisher"}


def slug(text: str) -> str:
    """A lower-case, dash-separated identifier: ``slug("Mar-a-Lago, Florida") == 'mar-a-lago-florida'``."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "x"


def _decode(path: Path, data: bytes) -> str:
    if not data.strip():
        raise InputError("the file is empty", source=str(path))
    if b"\x00" in data[:8192]:
        raise InputError("this looks like a binary file, not an article (it contains NUL bytes)",
                         source=str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                         "re-save the file as UTF-8", source=str(path), line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_date(value: object, path: Path, field: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"'{value}' is not a date (use YYYY-MM-DD)", source=str(path),
                         field=field) from None


def _metadata(meta: dict, path: Path) -> dict:
    unknown = set(meta) - _META_FIELDS
    if unknown:
        raise InputError(f"unknown metadata field(s) {sorted(unknown)}; allowed: {sorted(_META_FIELDS)}",
                         source=str(path))
    out = {k: (str(v) if v is not None else None) for k, v in meta.items() if k != "date"}
    out["date"] = _parse_date(meta.get("date"), path, "date")
    return out


def _front_matter(text: str, path: Path) -> tuple[dict, str]:
    """Split a ``---`` YAML block off the top of a Markdown or text file."""
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not m:
        return {}, text
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"front matter is not valid YAML: {exc}", source=str(path)) from None
    if not isinstance(meta, dict):
        raise InputError("front matter must be a mapping of field: value", source=str(path))
    # Keep offsets meaningful: the body keeps its position by blanking the header.
    return meta, " " * m.end() + text[m.end():]


def _sidecar(path: Path) -> dict:
    for side in (path.with_suffix(path.suffix + ".yaml"), path.with_suffix(".meta.yaml")):
        if side.is_file():
            try:
                meta = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise InputError(f"metadata sidecar is not valid YAML: {exc}", source=str(side)) from None
            if not isinstance(meta, dict):
                raise InputError("metadata sidecar must be a mapping of field: value", source=str(side))
            return meta
    return {}


def _from_html(raw: str, path: Path) -> tuple[dict, str]:
    import trafilatura  # imported lazily: only HTML input needs it

    doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False,
                                      include_tables=False)
    if doc is None or not (doc.text or "").strip():
        raise InputError("no article text could be extracted from this HTML page", source=str(path))
    meta = {"title": doc.title, "date": doc.date, "url": doc.url}
    if getattr(doc, "sitename", None):
        meta["publisher"] = doc.sitename
    return {k: v for k, v in meta.items() if v}, doc.text


def read_article(path: str | Path, *, article_id: str | None = None) -> Article:
    """Read one article file; metadata comes from front matter, a sidecar ``.yaml`` or the HTML."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except OSError as exc:  # a name too long, a loop of links, no permission ...
        raise InputError(f"cannot use this path: {exc.strerror}", source=str(path)[:200]) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError("not a regular file", source=str(path))
    size = st.st_size
    if size > MAX_BYTES:
        raise InputError(f"file is {size / 1e6:.0f} MB; articles larger than {MAX_BYTES / 1e6:.0f} MB "
                         "are refused", source=str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", source=str(path)) from None
    text = _decode(path, data)
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and
                                   re.match(r"\s*(<!doctype html|<html)", text, re.I)):
        meta, text = _from_html(text, path)
    else:
        meta, text = _front_matter(text, path)
    meta = {**meta, **_sidecar(path)}
    fields = _metadata(meta, path)
    if not text.strip():
        raise InputError("the article has no text", source=str(path))
    return Article(id=fields.pop("id", None) or article_id or slug(path.stem), text=text,
                   path=str(path), **fields)
