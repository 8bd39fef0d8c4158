"""The extra manual "PocketBook LUX und eBookit": a real PDF, served as application/pdf, that opens."""

import re
import zlib
from pathlib import Path

from django.conf import settings

from ehelp.content import MANUAL_PATH
from ehelp.manual import build


def parse_pdf(data: bytes) -> dict:
    """Read a PDF the way a viewer starts to: header, cross-reference table, trailer, catalog, page tree, content
    streams. Fails on any inconsistency."""
    assert data.startswith(b"%PDF-1."), "no PDF header"
    assert data.rstrip().endswith(b"%%EOF"), "no end-of-file marker"
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data).group(1))
    assert data[startxref:startxref + 4] == b"xref", "startxref does not point at the xref table"
    header = re.match(rb"xref\s+0 (\d+)\s+", data[startxref:])
    size = int(header.group(1))
    table = data[startxref + header.end():].split(b"trailer")[0].split(b"\n")
    entries = [line.strip() for line in table if line.strip()]
    assert len(entries) == size
    objects = {}
    for number, entry in enumerate(entries[1:], start=1):
        offset, _generation, kind = entry.split()
        assert kind == b"n"
        offset = int(offset)
        match = re.match(rb"(\d+) 0 obj\s", data[offset:])
        assert match and int(match.group(1)) == number, f"object {number} is not where the xref says"
        body_end = data.index(b"endobj", offset)
        objects[number] = data[offset + match.end():body_end]
    trailer = data[data.rindex(b"trailer"):]
    root = int(re.search(rb"/Root (\d+) 0 R", trailer).group(1))
    assert b"/Type /Catalog" in objects[root]
    pages_ref = int(re.search(rb"/Pages (\d+) 0 R", objects[root]).group(1))
    count = int(re.search(rb"/Count (\d+)", objects[pages_ref]).group(1))
    kids = [int(n) for n in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids \[(.*?)\]", objects[pages_ref]).group(1))]
    assert len(kids) == count
    text = b""
    for kid in kids:
        assert b"/Type /Page" in objects[kid]
        content = int(re.search(rb"/Contents (\d+) 0 R", objects[kid]).group(1))
        body = objects[content]
        length = int(re.search(rb"/Length (\d+)", body).group(1))
        stream = body[body.index(b"stream\n") + 7:][:length]
        text += zlib.decompress(stream)
    return {"pages": count, "text": text.decode("cp1252"), "objects": objects}


def test_manual_download_is_a_pdf_that_opens(client, db):
    response = client.get("/ehelp/handbuch.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="PocketBook-LUX-und-eBookit.pdf"' in response["Content-Disposition"]
    pdf = parse_pdf(b"".join(response.streaming_content))
    assert pdf["pages"] >= 5
    assert "(PocketBook LUX)" in pdf["text"]
    assert "Erste Hilfe PocketBook LUX" in pdf["text"]
    assert "Ein/Aus-Taste" in pdf["text"]
    assert "Seite 2 von" in pdf["text"]


def test_manual_carries_its_title_and_bookmarks():
    pdf = parse_pdf(build())
    info = b"".join(body for body in pdf["objects"].values() if b"/Title" in body and b"/Producer" in body)
    assert "PocketBook LUX und eBookit".encode("utf-16-be").hex().upper().encode() in info
    assert any(b"/Type /Outlines" in body for body in pdf["objects"].values())


def test_shipped_manual_matches_the_shipped_content():
    """The committed PDF is what `manage.py build_ehelp_manual` writes from ehelp/content: rebuild after edits."""
    shipped = parse_pdf((Path(settings.BASE_DIR) / MANUAL_PATH).read_bytes())
    fresh = parse_pdf(build())
    assert (shipped["pages"], shipped["text"]) == (fresh["pages"], fresh["text"]), \
        "run: python manage.py build_ehelp_manual"


def test_manual_is_linked_from_ehelp(client, content):
    assert 'href="/ehelp/handbuch.pdf"' in client.get("/ehelp/").content.decode()
