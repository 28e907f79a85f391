"""A PDF font as a page reader needs it: the text each code shows, and its width."""

from __future__ import annotations

import re

from pypdf.generic import DictionaryObject


def _parse_cmap(data: bytes) -> tuple[int, dict[int, str]]:
    """A ToUnicode CMap as (bytes per code, code -> text)."""
    text = data.decode("latin-1")
    width = 1
    space = re.search(r"begincodespacerange\s*<([0-9A-Fa-f]+)>", text)
    if space:
        width = max(1, len(space.group(1)) // 2)
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(code, 16)] = _utf16(value)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, value in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block
        ):
            values = re.findall(r"<([0-9A-Fa-f]*)>", value)
            start = int(low, 16)
            for offset in range(int(high, 16) - start + 1):
                if value.startswith("["):
                    mapping[start + offset] = _utf16(values[offset]) if offset < len(values) else ""
                else:
                    first = _utf16(values[0])
                    mapping[start + offset] = first[:-1] + chr(ord(first[-1]) + offset)
    return width, mapping


def _utf16(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be", errors="replace") if hex_text else ""


class PageFont:
    """One font of the page: its codes' text (ToUnicode) and advance widths."""

    def __init__(self, font: DictionaryObject) -> None:
        self.width: int = 1
        self.mapping: dict[int, str] = {}
        to_unicode = font.get("/ToUnicode")
        if to_unicode is not None:
            self.width, self.mapping = _parse_cmap(to_unicode.get_object().get_data())
        self.type0 = font.get("/Subtype") == "/Type0"
        if not self.mapping and self.type0:
            self.width = 2
        self.widths: dict[int, float] = {}
        self.default = 0.0
        if self.type0:
            descendant = font["/DescendantFonts"][0].get_object()
            self.default = float(descendant.get("/DW", 1000))
            self._cid_widths(descendant.get("/W") or [])
        else:
            first = int(font.get("/FirstChar", 0))
            for offset, width in enumerate(font.get("/Widths") or []):
                self.widths[first + offset] = float(width)
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None:
                self.default = float(descriptor.get_object().get("/MissingWidth", 0))

    def decode(self, raw: bytes) -> str:
        codes = (
            int.from_bytes(raw[i : i + self.width], "big") for i in range(0, len(raw), self.width)
        )
        return "".join(
            self.mapping.get(code, chr(code) if self.width == 1 else "\ufffd") for code in codes
        )

    def _cid_widths(self, array) -> None:
        index = 0
        while index + 1 < len(array):
            start, nxt = int(array[index]), array[index + 1]
            if isinstance(nxt, list) or hasattr(nxt, "__iter__"):
                for offset, width in enumerate(nxt):
                    self.widths[start + offset] = float(width)
                index += 2
            else:
                for code in range(start, int(nxt) + 1):
                    self.widths[code] = float(array[index + 2])
                index += 3

    def codes(self, raw: bytes) -> list[int]:
        step = self.width
        return [int.from_bytes(raw[i : i + step], "big") for i in range(0, len(raw), step)]

    def advance(self, code: int) -> float:
        return self.widths.get(code, self.default) / 1000
