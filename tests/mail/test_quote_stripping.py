"""The new part of a reply is kept; the quoted mail, attribution lines and signatures are not."""

import pytest

from mail.inbound import html_to_text, strip_quoted


@pytest.mark.parametrize(
    "body",
    [
        "Es geht wieder, danke!\n\nAm Fr., 15. Mai 2026 um 10:00 Uhr schrieb eBookit Support <s@e.ch>:\n> Alt",
        "Es geht wieder, danke!\n\nOn Fri, May 15, 2026 at 10:00 AM eBookit Support\n<s@e.ch> wrote:\n> Old",
        "Es geht wieder, danke!\n\n-----Ursprüngliche Nachricht-----\nVon: eBookit Support\nGesendet: Freitag",
        "Es geht wieder, danke!\n\n________________________________\nVon: eBookit Support <s@e.ch>\nGesendet: Fr",
        "Es geht wieder, danke!\n\nVon: eBookit Support <s@e.ch>\nGesendet: Freitag, 15. Mai 2026 10:00\nAn: Anna",
        "Es geht wieder, danke!\n\nLe ven. 15 mai 2026 à 10:00, eBookit Support <s@e.ch> a écrit :\n> Ancien",
        "Es geht wieder, danke!\n-- \nAnna Meier, Bern",
        "Es geht wieder, danke!\n\nVon meinem iPhone gesendet",
    ],
)
def test_quoted_text_and_signatures_are_cut(body):
    assert strip_quoted(body) == "Es geht wieder, danke!"


def test_a_von_line_in_the_text_itself_is_kept():
    assert strip_quoted("Von: mir selbst\nDas ist alles.") == "Von: mir selbst\nDas ist alles."


def test_html_only_mail_becomes_text_without_its_quote():
    html = ('<html><head><style>p{}</style></head><body><p>Danke &amp; Gruss</p><div>Anna</div>'
            '<blockquote type="cite">Alte Nachricht</blockquote></body></html>')
    assert html_to_text(html) == "Danke & Gruss\nAnna"
