import pytest
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from common import uploads

from .files import EXE, GIF, HTML, JPEG, PDF, PNG, WEBP, big_png, stored_files, upload


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (GIF, "image/gif"),
        (WEBP, "image/webp"),
        (PDF, "application/pdf"),
    ],
)
def test_screenshots_and_pdf_are_recognised_by_content(content, expected):
    assert uploads.validate_upload(upload("egal.bin", content)) == expected


def test_executable_renamed_pdf_is_refused_with_a_message():
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(upload("rechnung.pdf", EXE, "application/pdf"))
    assert "kein Bildschirmfoto" in exc.value.messages[0]
    assert "rechnung.pdf" in exc.value.messages[0]


def test_html_file_is_refused_even_named_png():
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(upload("bild.png", HTML, "image/png"))
    assert exc.value.code == "file_type"


def test_file_over_the_limit_is_refused_with_the_limit_in_the_message(settings):
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(big_png(20 * 1024 * 1024))
    message = exc.value.messages[0]
    assert exc.value.code == "file_too_large"
    # the sizes as the active locale writes them ("10.0 MB" in Swiss German)
    limit, size = filesizeformat(10 * 1024 * 1024), filesizeformat(20 * 1024 * 1024)
    expected = f"Die Datei «riesig.png» ist zu gross ({size}). Erlaubt sind höchstens {limit} pro Datei."
    assert message == expected
    assert "ß" not in message


def test_file_at_the_limit_is_accepted(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    assert uploads.validate_upload(big_png(1000)) == "image/png"


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(upload("leer.png", b""))
    assert exc.value.code == "file_empty"


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("../../etc/passwd.png", "image/png", "passwd.png"),
        ("C:\\Users\\anna\\Bildschirmfoto 1.png", "image/png", "Bildschirmfoto 1.png"),
        ("Zahlung\r\nBcc: x@evil.example.png", "image/png", "Zahlung Bcc_ x@evil.example.png"),
        ("rechnung.exe", "application/pdf", "rechnung.exe.pdf"),
        ("foto.JPEG", "image/jpeg", "foto.JPEG"),
        ("\u202egnp.exe", "image/png", "gnp.exe.png"),
        ("..", "image/png", "anhang.png"),
        ("", None, "anhang"),
    ],
)
def test_display_names_are_sanitised_not_refused(name, content_type, expected):
    assert uploads.sanitize_name(name, content_type) == expected


def test_long_names_are_shortened_keeping_the_extension():
    name = uploads.sanitize_name("a" * 500 + ".png", "image/png")
    assert len(name) == uploads.NAME_MAX_LENGTH and name.endswith(".png")


def test_store_private_uses_a_random_name_inside_the_private_root(settings):
    stored = uploads.store_private(upload("../../Mein Beleg.pdf", PDF), "payments")
    root = settings.PRIVATE_MEDIA_ROOT
    path = root / stored["path"]
    assert path.read_bytes() == PDF
    assert stored["name"] == "Mein Beleg.pdf"
    assert stored["content_type"] == "application/pdf"
    assert stored["size"] == len(PDF)
    assert stored["path"].startswith("payments/") and "Beleg" not in stored["path"]
    assert path.resolve().parent == (root / "payments").resolve()


def test_store_private_refuses_and_stores_nothing_for_a_bad_file(settings):
    with pytest.raises(ValidationError):
        uploads.store_private(upload("x.pdf", EXE), "payments")
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


@pytest.mark.parametrize("folder", ["../outside", "/abs", "a/../b", ""])
def test_store_private_refuses_unsafe_folders(folder):
    with pytest.raises(ValueError):
        uploads.store_private(upload("x.png", PNG), folder)


def test_private_path_refuses_escaping_the_root():
    with pytest.raises(ValueError):
        uploads.private_path("../../etc/passwd")
    with pytest.raises(ValueError):
        uploads.private_path("")
