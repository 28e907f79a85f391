"""What page 1 of a PDF actually draws: each line of text with where it lands and whether
it can be seen, and every area painted over it. Pure (pypdf), no rendering.

Extracted text alone is not what a reader sees: a white box can hide a name, text can
be made invisible (render mode 3, white ink, a clip, an optional-content layer, a
size too small to read) while new text is drawn elsewhere. `offline` uses this to
compare what is *visible* with the signed credential, and to refuse any page where
something is painted or written over a printed fact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ContentStream

from trainer.certificates.geometry import (
    IDENTITY,
    Box,
    Matrix,
    area,
    intersect,
    mul,
    overlap,
    transform,
    union,
)
from trainer.certificates.pdffont import PageFont

FIELD_KEY = "/TrainerField"
#: Text smaller than this (points, as drawn) cannot be read on paper.
SMALLEST_READABLE = 3.0
_PAINT = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
_PATH = {b"m", b"l", b"c", b"v", b"y", b"re", b"h"}


@dataclass
class Segment:
    """One text object (BT … ET): the visible text, where it is and its field tag."""

    order: int
    field: str | None
    text: str  # what its visible glyphs show
    box: Box | None
    hidden: str | None = None  # why (part of) it cannot be seen, if so
    shown_all: str = ""  # every glyph, visible or not
    end: tuple[float, float] | None = None  # where the next glyph on this line would go


@dataclass
class Paint:
    """An area filled, stroked thick, or covered by an image or form after ``order``."""

    order: int
    box: Box
    what: str


@dataclass
class Drawing:
    segments: list[Segment] = field(default_factory=list)
    paints: list[Paint] = field(default_factory=list)
    page: Box = (0, 0, 0, 0)
    #: /ActualText spans: (logical text, first segment, segment after the last)
    actual_texts: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    white: bool = False
    clip: Box | None = None
    line_width: float = 1.0
    font: PageFont | None = None
    size: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    mode: int = 0

    def copy(self) -> _State:
        return _State(**self.__dict__)


def _white(values: list[float]) -> bool:
    if len(values) == 1:
        return values[0] >= 0.95
    if len(values) == 3:
        return min(values) >= 0.95
    if len(values) == 4:
        return max(values) <= 0.05
    return False


def _numbers(operands) -> list[float]:
    return [float(o) for o in operands if isinstance(o, (int, float)) or hasattr(o, "as_numeric")]


class _Interpreter:
    """Walks a content stream keeping the graphics and text state that decide visibility."""

    def __init__(self, reader: PdfReader, fonts: dict, properties: dict, xobjects: dict) -> None:
        self.reader = reader
        self.fonts = fonts
        self.properties = properties
        self.xobjects = xobjects
        self.drawing = Drawing()
        self.state = _State()
        self.stack: list[_State] = []
        self.marks: list[dict] = []
        self.spans: list[tuple[str, int]] = []  # open /ActualText spans: text, first segment
        self.order = 0
        self.path: Box | None = None
        self.pending_clip = False
        self.text_matrix = self.line_matrix = IDENTITY
        self.current: Segment | None = None

    # graphics --------------------------------------------------------------------

    def run(self, contents) -> Drawing:
        for operands, operator in ContentStream(contents, self.reader).operations:
            self.order += 1
            handler = _HANDLERS.get(operator)
            if handler is not None:
                handler(self, operands)
            elif operator in _PATH:
                self._path(operator, _numbers(operands))
            elif operator in _PAINT or operator in (b"S", b"s", b"n"):
                self._paint(operator)
        return self.drawing

    def _path(self, operator: bytes, numbers: list[float]) -> None:
        if operator == b"re" and len(numbers) == 4:
            x, y, w, h = numbers
            box = transform(
                (min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h)), self.state.ctm
            )
            self.path = union(self.path, box)
        elif operator != b"h":
            for x, y in zip(numbers[::2], numbers[1::2], strict=False):
                self.path = union(self.path, transform((x, y, x, y), self.state.ctm))

    def _paint(self, operator: bytes) -> None:
        box = self.path
        if box is not None:
            thick = self.state.line_width * abs(self.state.ctm[0]) > 2
            if operator in _PAINT:
                self._add_paint(box, "a filled shape")
            elif operator in (b"S", b"s") and thick:
                pad = self.state.line_width * abs(self.state.ctm[0]) / 2
                self._add_paint(
                    (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad), "a thick line"
                )
            if self.pending_clip:
                self.state.clip = (
                    box if self.state.clip is None else intersect(self.state.clip, box)
                )
        self.path, self.pending_clip = None, False

    def _add_paint(self, box: Box, what: str) -> None:
        if self.state.clip is not None:
            box = intersect(box, self.state.clip)
        if area(box) > 0:
            self.drawing.paints.append(Paint(self.order, box, what))

    def xobject(self, operands) -> None:
        target = self.xobjects.get(operands[0]) if operands else None
        if target is None:
            return
        target = target.get_object()
        if target.get("/Subtype") == "/Image":
            self._add_paint(transform((0, 0, 1, 1), self.state.ctm), "an image")
        else:
            matrix = tuple(float(v) for v in target.get("/Matrix", IDENTITY))
            bbox = [float(v) for v in target.get("/BBox", (0, 0, 0, 0))]
            box = transform((bbox[0], bbox[1], bbox[2], bbox[3]), mul(matrix, self.state.ctm))
            self._add_paint(box, "a form (XObject)")

    # text ------------------------------------------------------------------------

    def begin_text(self, _operands) -> None:
        self.text_matrix = self.line_matrix = IDENTITY

    def end_text(self, _operands) -> None:
        """Text objects do not make lines: a rewriter may put a page in one, or a word in each."""

    def flush(self) -> None:
        """End the current line of text (at a new baseline, a gap, or a marked-content edge)."""
        segment, self.current = self.current, None
        if segment is not None and segment.shown_all:
            self.drawing.segments.append(segment)

    def _field(self) -> str | None:
        return next((str(m[FIELD_KEY])[1:] for m in reversed(self.marks) if FIELD_KEY in m), None)

    def move(self, tx: float, ty: float) -> None:
        self.line_matrix = mul((1, 0, 0, 1, tx, ty), self.line_matrix)
        self.text_matrix = self.line_matrix

    def show(self, items: list) -> None:
        state = self.state
        if state.font is None:
            return
        start_matrix, text, width = self.text_matrix, "", 0.0
        origin = transform((0, 0, 0, 0), mul(start_matrix, state.ctm))[:2]
        for item in items:
            if isinstance(item, (int, float)):
                width -= float(item) / 1000 * state.size * state.scale
                continue
            raw = _raw(item)
            text += state.font.decode(raw)
            for code in state.font.codes(raw):
                advance = state.font.advance(code) * state.size + state.char_space
                if code == 32 and state.font.width == 1:
                    advance += state.word_space
                width += advance * state.scale
        self.text_matrix = mul((1, 0, 0, 1, width, 0), self.text_matrix)
        low, high = state.rise - 0.25 * state.size, state.rise + 0.8 * state.size
        box = transform((0, low, width, high), mul(start_matrix, state.ctm))
        segment = self._line_for(origin, box)
        segment.shown_all += text
        hidden = self._hidden(box)
        if hidden:
            segment.hidden = segment.hidden or hidden
        else:
            segment.text += text
            segment.box = union(segment.box, box)

    def _line_for(self, origin: tuple[float, float], box: Box) -> Segment:
        """The line this piece of text continues, or a new one."""
        segment, height = self.current, max(box[3] - box[1], 1.0)
        if segment is not None and segment.end is not None:
            x, y = segment.end
            same_line = abs(origin[1] - y) < 0.3 * height and x - 1 <= origin[0] <= x + 2 * height
            if not same_line:
                self.flush()
        if self.current is None:
            self.current = Segment(self.order, self._field(), "", None)
        self.current.end = (box[2], origin[1])
        return self.current

    def _hidden(self, box: Box) -> str | None:
        state = self.state
        if state.mode in (3, 7):
            return "drawn invisibly (text render mode 3)"
        if any(m.get("/Type") == "/OCG" or "/OC" in m for m in self.marks):
            return "in an optional-content layer that can be hidden"
        if state.white and state.mode in (0, 4):
            return "drawn in white"
        if box[3] - box[1] < SMALLEST_READABLE * 1.05:
            return "drawn too small to read"
        if state.clip is not None and overlap(box, state.clip) < 0.5 * area(box):
            return "clipped away"
        page = self.drawing.page
        if overlap(box, page) < 0.5 * area(box):
            return "off the page"
        return None


def _raw(operand) -> bytes:
    if isinstance(operand, bytes):
        return bytes(operand)
    original = getattr(operand, "get_original_bytes", None)
    return original() if original else str(operand).encode("latin-1", errors="replace")


def _marked(self: _Interpreter, operands, begin: bool) -> None:
    self.flush()
    if not begin:
        if self.marks:
            props = self.marks.pop()
            if "/ActualText" in props and self.spans:
                text, start = self.spans.pop()
                self.drawing.actual_texts.append((text, start, len(self.drawing.segments)))
        return
    props = operands[1] if len(operands) > 1 else {}
    if not isinstance(props, dict):
        props = self.properties.get(props, {})
    props = props.get_object() if hasattr(props, "get_object") else props
    if operands and operands[0] == "/OC":
        props = {**props, "/OC": True}
    self.marks.append(props)
    if "/ActualText" in props:
        self.spans.append((str(props["/ActualText"]), len(self.drawing.segments)))


def _restore(self: _Interpreter, _operands) -> None:
    if self.stack:
        self.state = self.stack.pop()


def _font(self: _Interpreter, operands) -> None:
    self.state.font = self.fonts.get(operands[0])
    self.state.size = float(operands[1])


def _set(name: str, convert=float):
    def handler(self: _Interpreter, operands) -> None:
        if operands:
            setattr(self.state, name, convert(operands[-1]))

    return handler


def _colour(self: _Interpreter, operands) -> None:
    self.state.white = (
        _white(_numbers(operands)) if len(operands) == len(_numbers(operands)) else False
    )


def _next_line(self: _Interpreter, _operands=None) -> None:
    self.move(0, -self.state.leading)


def _td_leading(self: _Interpreter, operands) -> None:
    self.state.leading = -float(operands[1])
    self.move(float(operands[0]), float(operands[1]))


def _quote(self: _Interpreter, operands) -> None:
    _next_line(self)
    self.show([operands[-1]])


def _double_quote(self: _Interpreter, operands) -> None:
    self.state.word_space, self.state.char_space = float(operands[0]), float(operands[1])
    _quote(self, operands)


def _text_matrix(self: _Interpreter, operands) -> None:
    self.line_matrix = self.text_matrix = tuple(float(v) for v in operands[:6])


def _shading(self: _Interpreter, _operands) -> None:
    self._add_paint(self.state.clip or self.drawing.page, "a shading")


def _inline_image(self: _Interpreter, _operands) -> None:
    self._add_paint(transform((0, 0, 1, 1), self.state.ctm), "an image")


_HANDLERS = {
    b"q": lambda self, _o: self.stack.append(self.state.copy()),
    b"Q": _restore,
    b"cm": lambda self, o: setattr(self.state, "ctm", mul(tuple(_numbers(o)[:6]), self.state.ctm)),
    b"w": _set("line_width"),
    b"W": lambda self, _o: setattr(self, "pending_clip", True),
    b"W*": lambda self, _o: setattr(self, "pending_clip", True),
    b"g": _colour,
    b"rg": _colour,
    b"k": _colour,
    b"sc": _colour,
    b"scn": _colour,
    b"cs": lambda self, _o: setattr(self.state, "white", False),
    b"BT": lambda self, o: self.begin_text(o),
    b"ET": lambda self, o: self.end_text(o),
    b"Tf": _font,
    b"Td": lambda self, o: self.move(float(o[0]), float(o[1])),
    b"TD": _td_leading,
    b"Tm": _text_matrix,
    b"T*": _next_line,
    b"TL": _set("leading"),
    b"Tc": _set("char_space"),
    b"Tw": _set("word_space"),
    b"Tz": lambda self, o: setattr(self.state, "scale", float(o[0]) / 100),
    b"Ts": _set("rise"),
    b"Tr": _set("mode", int),
    b"Tj": lambda self, o: self.show([o[-1]]),
    b"TJ": lambda self, o: self.show(list(o[0])),
    b"'": _quote,
    b'"': _double_quote,
    b"Do": lambda self, o: self.xobject(o),
    b"BDC": lambda self, o: _marked(self, o, True),
    b"BMC": lambda self, o: _marked(self, o, True),
    b"EMC": lambda self, o: _marked(self, o, False),
    b"sh": _shading,
    b"INLINE IMAGE": _inline_image,
}


def page_drawing(reader: PdfReader) -> Drawing:
    """What page 1 draws."""
    page = reader.pages[0]
    resources = page.get("/Resources") or {}
    fonts = {
        name: PageFont(ref.get_object()) for name, ref in (resources.get("/Font") or {}).items()
    }
    interpreter = _Interpreter(
        reader, fonts, resources.get("/Properties") or {}, resources.get("/XObject") or {}
    )
    box = page.cropbox
    interpreter.drawing.page = (
        float(box.left),
        float(box.bottom),
        float(box.right),
        float(box.top),
    )
    contents = page.get_contents()
    if contents is None:
        return interpreter.drawing
    drawn = interpreter.run(contents)
    interpreter.flush()
    return drawn
