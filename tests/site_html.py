"""A small HTML tree for the site tests (stdlib html.parser; our pages are well-formed)."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["Node | str"] = field(default_factory=list)

    def iter(self, tag: str | None = None) -> Iterator["Node"]:
        for ch in self.children:
            if isinstance(ch, Node):
                if tag is None or ch.tag == tag:
                    yield ch
                yield from ch.iter(tag)

    def find(self, tag: str, **attrs: str) -> "Node | None":
        return next(self.find_all(tag, **attrs), None)

    def find_all(self, tag: str, **attrs: str) -> Iterator["Node"]:
        for n in self.iter(tag):
            if all(_match(n.attrs.get(k.rstrip("_")), v) for k, v in attrs.items()):
                yield n

    def by_id(self, id_: str) -> "Node | None":
        return next((n for n in self.iter() if n.attrs.get("id") == id_), None)

    def text(self) -> str:
        return "".join(ch if isinstance(ch, str) else ch.text() for ch in self.children)

    def links(self) -> list[str]:
        return [a.attrs["href"] for a in self.iter("a") if "href" in a.attrs]


def _match(value: str | None, want: str) -> bool:
    if value is None:
        return False
    return want in value.split() if " " not in want else value == want


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(text: str) -> Node:
    b = _Builder()
    b.feed(text)
    b.close()
    return b.root


def parse_file(path: Path) -> Node:
    return parse(path.read_text(encoding="utf-8"))


def item_codes(doc: Node) -> list[str]:
    """Codes of the items linked from a node (the page's <main> when given the whole document)."""
    from urllib.parse import urlsplit

    main = doc if doc.tag != "#document" else doc.find("main")
    assert main is not None
    codes = []
    for href in main.links():
        parts = urlsplit(href).path.rstrip("/").split("/")
        if len(parts) >= 2 and parts[-2] == "items":
            codes.append(parts[-1])
    return codes


def broken_links(out: Path) -> list[str]:
    """Every href/src in every HTML file under ``out`` that does not resolve to a file (or anchor) in ``out``."""
    from urllib.parse import unquote, urlsplit

    problems: list[str] = []
    ids_cache: dict[Path, set[str]] = {}
    root = out.resolve()
    for html in sorted(out.rglob("*.html")):
        doc = parse_file(html)
        refs = [n.attrs[a] for n in doc.iter() for a in ("href", "src") if a in n.attrs]
        for ref in refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//"):
                if parts.scheme not in ("http", "https", "mailto", "tel"):
                    problems.append(f"{html.relative_to(out)}: {ref} (scheme)")
                continue
            target = (html.parent / unquote(parts.path)).resolve() if parts.path else html.resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or root not in target.parents:
                problems.append(f"{html.relative_to(out)}: {ref}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids_cache:
                    ids_cache[target] = {n.attrs["id"] for n in parse_file(target).iter() if "id" in n.attrs}
                if parts.fragment not in ids_cache[target]:
                    problems.append(f"{html.relative_to(out)}: {ref} (no such anchor)")
    return problems
