from django import forms
from django.utils.datastructures import MultiValueDict

from common.forms import CheckedFileField, MultipleFileField

from .files import EXE, HTML, PDF, PNG, big_png, stored_files, upload


class AttachmentsForm(forms.Form):
    files = MultipleFileField(required=False, max_files=3)


class OneFileForm(forms.Form):
    file = CheckedFileField(required=True)


def _bound(form_class, name, files):
    return form_class(data={}, files=MultiValueDict({name: files}))


def test_multiple_files_are_each_checked_and_returned_as_a_list():
    form = _bound(AttachmentsForm, "files", [upload("a.png", PNG), upload("b.pdf", PDF)])
    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data["files"]
    assert [f.detected_content_type for f in cleaned] == ["image/png", "application/pdf"]
    assert [f.safe_name for f in cleaned] == ["a.png", "b.pdf"]


def test_no_file_is_an_empty_list_when_optional():
    form = _bound(AttachmentsForm, "files", [])
    assert form.is_valid()
    assert form.cleaned_data["files"] == []


def test_more_files_than_allowed_are_refused_with_a_clear_message():
    form = _bound(AttachmentsForm, "files", [upload(f"{i}.png", PNG) for i in range(4)])
    assert not form.is_valid()
    assert form.errors["files"] == ["Bitte höchstens 3 Dateien anhängen (Sie haben 4 gewählt)."]


def test_every_bad_file_gets_its_own_message_and_nothing_is_stored(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    form = _bound(
        AttachmentsForm,
        "files",
        [upload("ok.png", PNG), upload("x.pdf", EXE), upload("y.html", HTML), big_png(2048)],
    )
    form.fields["files"].max_files = 4
    assert not form.is_valid()
    errors = form.errors["files"]
    assert len(errors) == 3
    assert "x.pdf" in errors[0] and "y.html" in errors[1] and "zu gross" in errors[2]
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


def test_widget_allows_multiple_selection_and_hints_the_types():
    html = str(AttachmentsForm()["files"])
    assert "multiple" in html and 'accept="image/png' in html


def test_single_file_field_checks_content():
    form = _bound(OneFileForm, "file", [upload("rechnung.pdf", EXE)])
    assert not form.is_valid()
    assert "kein Bildschirmfoto" in form.errors["file"][0]
    form = _bound(OneFileForm, "file", [upload("shot", PNG)])
    assert form.is_valid()
    assert form.cleaned_data["file"].safe_name == "shot.png"
