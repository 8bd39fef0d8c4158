"""The extra manual "PocketBook LUX und eBookit" as a PDF, written from the shipped German content.

`manage.py build_ehelp_manual` writes it to ehelp/content/; the file is committed and served by `ehelp:manual`."""

from .content import ARTICLES, MANUAL_CHAPTERS, SOURCES
from .pdf import ACCENT, MARGIN_LEFT, MUTED, PAGE_HEIGHT, Document
from .sanitise import html_to_text

TITLE = "PocketBook LUX und eBookit"
EDITION = "Ausgabe 2026"


def build() -> bytes:
    doc = Document(title=TITLE, footer=f"{TITLE} – Handbuch von eBookit.ch, {EDITION}")
    _cover(doc)
    doc.new_page()  # the table of contents, filled in at the end
    toc_page = doc.current
    toc: list[tuple[str, str, int]] = []  # (label, anchor, indent level)

    doc.new_page()
    for number, (title, paragraphs) in enumerate(MANUAL_CHAPTERS[:-1], start=1):
        anchor = f"kapitel-{number}"
        doc.heading(title, level=1, anchor=anchor, outline=True)
        toc.append((title, anchor, 0))
        for paragraph in paragraphs:
            doc.paragraph(paragraph)

    doc.new_page()
    doc.heading("Erste Hilfe PocketBook LUX", level=1, anchor="erste-hilfe", outline=True)
    toc.append(("Erste Hilfe PocketBook LUX", "erste-hilfe", 0))
    doc.paragraph("Beginnen Sie immer mit dem ersten Schritt und gehen Sie der Reihe nach vor. Die meisten Probleme "
                  "sind nach wenigen Schritten gelöst. Menüpunkte heissen je nach Software-Version leicht anders.")
    for topic in ARTICLES:
        version = topic["versions"]["de"]
        anchor = f"artikel-{topic['slug']}"
        doc.heading(version["title"], level=2, anchor=anchor, outline=True)
        toc.append((version["title"], anchor, 1))
        doc.paragraph(f"Wann: {version['symptom']}", style="italic", color=MUTED)
        if version.get("intro"):
            doc.paragraph(html_to_text(version["intro"]))
        for step_number, step in enumerate(version["steps"], start=1):
            doc.paragraph(html_to_text(step), indent=22, label=f"{step_number}.", after=4)
        doc.space(6)

    doc.new_page()
    title, paragraphs = MANUAL_CHAPTERS[-1]
    doc.heading(title, level=1, anchor="weiter", outline=True)
    toc.append((title, "weiter", 0))
    for paragraph in paragraphs:
        doc.paragraph(paragraph)

    doc.heading("Informations-Quellen", level=1, anchor="quellen", outline=True)
    toc.append(("Informations-Quellen", "quellen", 0))
    for source in SOURCES:
        if source["kind"] == "phone":
            doc.paragraph(source["title"], style="bold", after=0)
            doc.paragraph(f"{source['description']} Telefonnummer und Zeiten: im eHelp von eBookit unter "
                          "«Informations-Quellen».")
        elif source["kind"] == "link":
            doc.paragraph(source["title"], style="bold", after=0)
            doc.paragraph(f"{source['description']} {source['url']}")

    doc.go_to_page(toc_page)
    doc.heading("Inhalt", level=1)
    for label, anchor, level in toc:
        page_index = doc.anchors[anchor][0]
        doc.link_line(("    " * level) + label, anchor, str(page_index + 1), size=11.5 if level == 0 else 10.5)
    return doc.render(subject="Zusätzliches Handbuch: Erste Hilfe, eBookit-Konto, Adobe-ID, Informations-Quellen",
                      author="eBookit.ch")


def _cover(doc: Document) -> None:
    top = PAGE_HEIGHT - 250
    doc.text_at(MARGIN_LEFT, top, "eBookit.ch", size=16, style="bold", color=ACCENT)
    doc.text_at(MARGIN_LEFT, top - 52, "PocketBook LUX", size=34, style="bold")
    doc.text_at(MARGIN_LEFT, top - 92, "und eBookit", size=34, style="bold")
    doc.rule(top - 116, color=ACCENT, width=2)
    doc.text_at(MARGIN_LEFT, top - 146, "Zusätzliches Handbuch zu Ihrem eReader", size=15)
    doc.text_at(MARGIN_LEFT, top - 168, "Erste Hilfe · eBookit-Konto · Adobe-ID · Informations-Quellen", size=12,
                color=MUTED)
    doc.text_at(MARGIN_LEFT, 110, "eBookit.ch – ein Angebot von Comelivres und den Partnerbuchhandlungen", size=10,
                color=MUTED)
    doc.text_at(MARGIN_LEFT, 94, EDITION, size=10, color=MUTED)
