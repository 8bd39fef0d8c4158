"""A small, dependency-free PDF writer: enough for a text manual with headings, numbered steps, a linked table of
contents, bookmarks and page numbers. It uses the PDF standard fonts (Helvetica) with WinAnsi encoding, which covers
German and French text; output is deterministic, so rebuilding unchanged content gives the same bytes."""

import unicodedata
import zlib
from dataclasses import dataclass, field

PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89  # A4 in points
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 62, 62, 64, 70
ACCENT = (0.043, 0.325, 0.58)
INK = (0.106, 0.106, 0.106)
MUTED = (0.35, 0.35, 0.35)

FONTS = {"regular": ("F1", "Helvetica"), "bold": ("F2", "Helvetica-Bold"), "italic": ("F3", "Helvetica-Oblique")}

# Advance widths (1/1000 em) of ASCII 32..126, from the Adobe font metrics of Helvetica and Helvetica-Bold.
_HELVETICA = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
    556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556,
    556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, 334, 260, 334, 584,
]
_HELVETICA_BOLD = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722,
    611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556,
    611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778,
    556, 556, 500, 389, 280, 389, 584,
]
_SPECIAL = {"«": 556, "»": 556, "–": 556, "—": 1000, "‹": 333, "›": 333, "‘": 222, "’": 222, "“": 333, "”": 333,
            "„": 333, "…": 1000, "•": 350, "°": 400, "€": 556, "ß": 611, "×": 584}


def char_width(char: str, bold: bool = False) -> int:
    table = _HELVETICA_BOLD if bold else _HELVETICA
    code = ord(char)
    if 32 <= code <= 126:
        return table[code - 32]
    if char in _SPECIAL:
        return _SPECIAL[char]
    base = unicodedata.normalize("NFD", char)[0]
    if base != char and 32 <= ord(base) <= 126:
        return table[ord(base) - 32]
    return 556


def text_width(text: str, size: float, bold: bool = False) -> float:
    return sum(char_width(c, bold) for c in text) * size / 1000


def pdf_string(text: str) -> bytes:
    """A literal string in WinAnsi (cp1252) encoding, with the characters PDF treats specially escaped."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_text_string(text: str) -> bytes:
    """A text string for metadata and bookmarks: UTF-16BE with a byte-order mark, as hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass
class Page:
    ops: list[str] = field(default_factory=list)
    links: list[tuple[tuple[float, float, float, float], str]] = field(default_factory=list)


class Document:
    """Lays out text top to bottom, page by page. Anchors record where headings land, for links and bookmarks."""

    def __init__(self, title: str, footer: str):
        self.title = title
        self.footer = footer
        self.pages: list[Page] = []
        self.anchors: dict[str, tuple[int, float]] = {}
        self.outline: list[tuple[str, str]] = []  # (label, anchor)
        self.y = 0.0
        self.current = 0
        self.new_page()

    @property
    def width(self) -> float:
        return PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

    @property
    def page(self) -> Page:
        return self.pages[self.current]

    def new_page(self) -> None:
        self.pages.append(Page())
        self.current = len(self.pages) - 1
        self.y = PAGE_HEIGHT - MARGIN_TOP

    def go_to_page(self, index: int) -> None:
        """Write on an earlier page (a table of contents filled in once the pages are known)."""
        self.current = index
        self.y = PAGE_HEIGHT - MARGIN_TOP

    def ensure(self, height: float) -> None:
        if self.y - height < MARGIN_BOTTOM:
            self.new_page()

    def space(self, points: float) -> None:
        self.y -= points

    def text_at(self, x: float, y: float, text: str, *, size: float, style: str = "regular",
                color: tuple = INK) -> None:
        font = FONTS[style][0]
        r, g, b = color
        self.page.ops.append(
            f"BT {_number(r)} {_number(g)} {_number(b)} rg /{font} {_number(size)} Tf {_number(x)} {_number(y)} Td "
            + pdf_string(text).decode("latin-1") + " Tj ET"
        )

    def rule(self, y: float, color: tuple = (0.8, 0.8, 0.8), width: float = 0.7) -> None:
        r, g, b = color
        self.page.ops.append(
            f"{_number(r)} {_number(g)} {_number(b)} RG {_number(width)} w {_number(MARGIN_LEFT)} {_number(y)} m "
            f"{_number(PAGE_WIDTH - MARGIN_RIGHT)} {_number(y)} l S"
        )

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        lines: list[str] = []
        line = ""
        for word in text.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size, bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while text_width(word, size, bold) > width:  # a word longer than the line (an address): cut it
                cut = len(word)
                while cut > 1 and text_width(word[:cut], size, bold) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        if line:
            lines.append(line)
        return lines

    def heading(self, text: str, *, level: int = 1, anchor: str = "", outline: bool = False) -> None:
        size = {1: 20, 2: 14.5, 3: 12}[level]
        leading = size * 1.25
        lines = self.wrap(text, size, self.width, bold=True)
        # Keep a heading with at least three lines of what follows.
        self.ensure(len(lines) * leading + 3 * 15 + (10 if level == 1 else 6))
        if self.y < PAGE_HEIGHT - MARGIN_TOP:
            self.space(14 if level == 1 else 10)
        if anchor:
            self.anchors[anchor] = (self.current, self.y + 6)
            if outline:
                self.outline.append((text, anchor))
        for line in lines:
            self.y -= size
            self.text_at(MARGIN_LEFT, self.y, line, size=size, style="bold", color=ACCENT)
            self.y -= leading - size
        if level == 1:
            self.y -= 4
            self.rule(self.y, color=ACCENT, width=1.2)
        self.space(8 if level == 1 else 4)

    def paragraph(self, text: str, *, size: float = 10.5, style: str = "regular", color: tuple = INK,
                  indent: float = 0, label: str = "", after: float = 6) -> None:
        leading = size * 1.42
        x = MARGIN_LEFT + indent
        lines = self.wrap(text, size, self.width - indent, bold=style == "bold")
        for number, line in enumerate(lines):
            self.ensure(leading)
            self.y -= leading
            if number == 0 and label:
                self.text_at(x - 20, self.y, label, size=size, style="bold", color=ACCENT)
            self.text_at(x, self.y, line, size=size, style=style, color=color)
        self.space(after)

    def link_line(self, label: str, target: str, page_label: str, *, size: float = 11.5) -> None:
        """A table-of-contents line: label, dotted leader, page number, the whole line linked to `target`."""
        leading = size * 1.7
        self.ensure(leading)
        self.y -= leading
        self.text_at(MARGIN_LEFT, self.y, label, size=size)
        number_width = text_width(page_label, size)
        right = PAGE_WIDTH - MARGIN_RIGHT
        self.text_at(right - number_width, self.y, page_label, size=size)
        start = MARGIN_LEFT + text_width(label, size) + 6
        dots = max(int((right - number_width - 6 - start) / text_width(".", size)), 0)
        if dots:
            self.text_at(start, self.y, "." * dots, size=size, color=MUTED)
        self.page.links.append(((MARGIN_LEFT, self.y - 3, right, self.y + size), target))

    # --- output ------------------------------------------------------------------------------------------------

    def render(self, *, subject: str = "", author: str = "", language: str = "de-CH",
               creation_date: str = "D:20260101000000Z") -> bytes:
        writer = _Writer()
        catalog = writer.reserve()
        pages_root = writer.reserve()
        fonts = {name: writer.add(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>".encode()
        ) for name, base in FONTS.values()}
        font_resources = " ".join(f"/{name} {number} 0 R" for name, number in fonts.items())
        page_numbers = [writer.reserve() for _page in self.pages]
        total = len(self.pages)

        def destination(anchor: str) -> bytes:
            index, y = self.anchors[anchor]
            return f"[{page_numbers[index]} 0 R /XYZ 0 {_number(y)} null]".encode()

        for index, page in enumerate(self.pages):
            ops = list(page.ops)
            if index > 0:  # every page but the cover carries a footer with the page number
                foot_y = MARGIN_BOTTOM - 34
                ops.append(f"0.8 0.8 0.8 RG 0.5 w {MARGIN_LEFT} {foot_y + 14} m "
                           f"{_number(PAGE_WIDTH - MARGIN_RIGHT)} {foot_y + 14} l S")
                ops.append(f"BT 0.35 0.35 0.35 rg /F1 8.5 Tf {MARGIN_LEFT} {foot_y} Td "
                           + pdf_string(self.footer).decode("latin-1") + " Tj ET")
                label = f"Seite {index + 1} von {total}"
                ops.append(f"BT 0.35 0.35 0.35 rg /F1 8.5 Tf "
                           f"{_number(PAGE_WIDTH - MARGIN_RIGHT - text_width(label, 8.5))} {foot_y} Td "
                           + pdf_string(label).decode("latin-1") + " Tj ET")
            stream = zlib.compress("\n".join(ops).encode("latin-1"), 9)
            content = writer.add(
                f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream"
            )
            annotations = [
                writer.add(
                    b"<< /Type /Annot /Subtype /Link /Border [0 0 0] /Rect ["
                    + " ".join(_number(v) for v in rect).encode() + b"] /Dest " + destination(target) + b" >>"
                )
                for rect, target in page.links
            ]
            annots = (" /Annots [" + " ".join(f"{n} 0 R" for n in annotations) + "]") if annotations else ""
            writer.set(page_numbers[index], (
                f"<< /Type /Page /Parent {pages_root} 0 R /MediaBox [0 0 {_number(PAGE_WIDTH)} "
                f"{_number(PAGE_HEIGHT)}] /Resources << /Font << {font_resources} >> >> /Contents {content} 0 R"
                f"{annots} >>"
            ).encode())
        writer.set(pages_root, (
            f"<< /Type /Pages /Kids [{' '.join(f'{n} 0 R' for n in page_numbers)}] /Count {total} >>"
        ).encode())

        outline_part = b""
        if self.outline:
            outlines = writer.reserve()
            items = [writer.reserve() for _item in self.outline]
            for position, ((label, anchor), number) in enumerate(zip(self.outline, items, strict=True)):
                links = b""
                if position > 0:
                    links += f" /Prev {items[position - 1]} 0 R".encode()
                if position < len(items) - 1:
                    links += f" /Next {items[position + 1]} 0 R".encode()
                writer.set(number, b"<< /Title " + pdf_text_string(label) + f" /Parent {outlines} 0 R".encode()
                           + links + b" /Dest " + destination(anchor) + b" >>")
            writer.set(outlines, (
                f"<< /Type /Outlines /First {items[0]} 0 R /Last {items[-1]} 0 R /Count {len(items)} >>"
            ).encode())
            outline_part = f" /Outlines {outlines} 0 R /PageMode /UseOutlines".encode()
        writer.set(catalog, (
            f"<< /Type /Catalog /Pages {pages_root} 0 R /Lang ".encode() + pdf_text_string(language)
            + outline_part + b" /ViewerPreferences << /DisplayDocTitle true >> >>"
        ))
        info = writer.add(
            b"<< /Title " + pdf_text_string(self.title) + b" /Author " + pdf_text_string(author)
            + b" /Subject " + pdf_text_string(subject) + b" /Creator " + pdf_text_string("eBookit Support")
            + b" /Producer " + pdf_text_string("ehelp.pdf") + b" /CreationDate (" + creation_date.encode() + b") >>"
        )
        return writer.output(catalog, info)


class _Writer:
    def __init__(self):
        self.objects: list[bytes | None] = []

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects)

    def set(self, number: int, data: bytes) -> None:
        self.objects[number - 1] = data

    def add(self, data: bytes) -> int:
        self.objects.append(data)
        return len(self.objects)

    def output(self, root: int, info: int) -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, data in enumerate(self.objects, start=1):
            assert data is not None, f"object {number} was reserved but never written"
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode() + data + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(self.objects) + 1}\n0000000000 65535 f \n".encode()
        for offset in offsets:
            out += f"{offset:010d} 00000 n \n".encode()
        out += (f"trailer\n<< /Size {len(self.objects) + 1} /Root {root} 0 R /Info {info} 0 R >>\n"
                f"startxref\n{xref}\n%%EOF\n").encode()
        return bytes(out)
