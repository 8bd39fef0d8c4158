"""The German interface is written the Swiss way: "ss", never "ß" — in templates, catalogues and content."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["templates", "tickets", "ehelp", "payments", "mail", "timelimits", "common", "locale"]
SUFFIXES = {".html", ".txt", ".po"}


def test_no_sharp_s_in_what_users_read():
    offenders = []
    for folder in CHECKED:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in SUFFIXES and "ß" in path.read_text(errors="ignore"):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_sharp_s_in_the_ehelp_content():
    from ehelp.content import ARTICLES, MANUAL_CHAPTERS, SOURCES

    text = repr(ARTICLES) + repr(SOURCES) + repr(MANUAL_CHAPTERS)
    assert "ß" not in text
