"""Finding markup that would run in a browser, by parsing the page as a browser does.

Searching the text for ``onerror=`` would also find it where it is harmless,
escaped text; parsing finds only real tags and attributes.
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Tags the site never sends itself, and which can run script or leave the page. (It does
#: send <svg> charts; an injected <svg> is caught by its event handler or script.)
DANGEROUS_TAGS = {"script", "iframe", "frame", "object", "embed", "math", "style", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"}


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            url = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and url.startswith(("javascript:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and url.startswith("data:") and tag != "img":
                self.found.append(f"<{tag} {name}={value!r}>")
            if tag == "form" and name == "action" and "//" in url:
                self.found.append(f"<form action={value!r}>")


def live_markup(html: str) -> list[str]:
    """Tags and attributes in ``html`` that could run script or send data elsewhere."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found
