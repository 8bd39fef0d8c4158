"""Customer uploads: screenshots and PDFs, checked by their content (magic bytes), never by their name, and
stored outside every public path under a random name. Files are served only through permission-checked views
(`open_private`), and mails attach them from there.

    content_type = validate_upload(uploaded)          # ValidationError with a German message, or the type
    stored = store_private(uploaded, "payments")      # {"path", "name", "content_type", "size"}
"""

import contextlib
import os
import re
import secrets
import unicodedata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# content type -> (the extension given to it on disk and in mails, every extension that fits it)
ALLOWED_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "image/png": (".png", (".png",)),
    "image/jpeg": (".jpg", (".jpg", ".jpeg", ".jpe", ".jfif")),
    "image/gif": (".gif", (".gif",)),
    "image/webp": (".webp", (".webp",)),
    "application/pdf": (".pdf", (".pdf",)),
}
# For the file picker only (a hint to the browser); the server trusts nothing but the content.
ACCEPT_ATTRIBUTE = "image/png,image/jpeg,image/gif,image/webp,application/pdf,.png,.jpg,.jpeg,.gif,.webp,.pdf"

HEADER_BYTES = 16
NAME_MAX_LENGTH = 120
FALLBACK_NAME = "anhang"

_UNSAFE_NAME_CHARS = re.compile(r'[<>:"|?*;]')
_SPACES = re.compile(r"\s+")
_FOLDER = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")


def detect_content_type(head: bytes) -> str | None:
    """The type of a file from its first bytes, or None when it is none of the allowed types."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _read_head(uploaded_file) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(HEADER_BYTES)
    uploaded_file.seek(0)
    return head


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def sanitize_name(name: str | None, content_type: str | None = None) -> str:
    """A file name fit to show and to put in a mail header: no directories, no control or odd characters,
    at most NAME_MAX_LENGTH characters, and an extension that matches the content."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]  # "C:\\Users\\x\\shot.png" and "../../etc/passwd" lose their folders
    name = "".join(" " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in name)
    name = _UNSAFE_NAME_CHARS.sub("_", name)
    name = _SPACES.sub(" ", name).strip(" .")
    stem, ext = os.path.splitext(name)
    if content_type in ALLOWED_TYPES:
        canonical, fitting = ALLOWED_TYPES[content_type]
        if ext.lower() not in fitting:
            stem, ext = name, canonical  # "rechnung.exe" holding a PDF is shown as "rechnung.exe.pdf"
    stem = stem.strip(" .") or FALLBACK_NAME
    ext = ext[:10]
    return stem[: NAME_MAX_LENGTH - len(ext)] + ext


def validate_upload(uploaded_file) -> str:
    """The detected content type of an upload, or a ValidationError saying in German what is wrong with it."""
    display_name = sanitize_name(getattr(uploaded_file, "name", ""))
    limit = max_bytes()
    size = getattr(uploaded_file, "size", None) or 0
    if size > limit:
        raise ValidationError(
            _("Die Datei «%(name)s» ist zu gross (%(size)s). Erlaubt sind höchstens %(limit)s pro Datei."),
            code="file_too_large",
            params={"name": display_name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    if size == 0:
        raise ValidationError(
            _("Die Datei «%(name)s» ist leer."), code="file_empty", params={"name": display_name}
        )
    content_type = detect_content_type(_read_head(uploaded_file))
    if content_type is None:
        raise ValidationError(
            _(
                "Die Datei «%(name)s» ist kein Bildschirmfoto (PNG, JPEG, GIF, WebP) und kein PDF. "
                "Bitte laden Sie nur solche Dateien hoch."
            ),
            code="file_type",
            params={"name": display_name},
        )
    return content_type


def _root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT).resolve()


def store_private(uploaded_file, folder: str) -> dict:
    """Save a checked upload under PRIVATE_MEDIA_ROOT/<folder>/<random name> and describe it.

    The client's file name never reaches the disk; it is only kept, sanitised, as the name to show."""
    if not _FOLDER.match(folder):
        raise ValueError(f"Unsafe folder for private uploads: {folder!r}")
    content_type = validate_upload(uploaded_file)
    directory = _root() / folder
    directory.mkdir(parents=True, exist_ok=True)
    disk_name = secrets.token_hex(16) + ALLOWED_TYPES[content_type][0]
    target = directory / disk_name
    size = 0
    uploaded_file.seek(0)
    with open(target, "xb") as out:  # "x": never overwrite anything
        for chunk in uploaded_file.chunks():
            out.write(chunk)
            size += len(chunk)
    os.chmod(target, 0o640)
    return {
        "path": str(PurePosixPath(folder) / disk_name),
        "name": sanitize_name(getattr(uploaded_file, "name", ""), content_type),
        "content_type": content_type,
        "size": size,
    }


def private_path(relative_path: str) -> Path:
    """The absolute path of a stored file; refuses anything that would leave PRIVATE_MEDIA_ROOT."""
    root = _root()
    path = (root / relative_path).resolve()
    if not relative_path or root not in path.parents:
        raise ValueError(f"Not a private upload: {relative_path!r}")
    return path


def open_private(relative_path: str):
    """Open a stored file for reading (for a permission-checked download view)."""
    return open(private_path(relative_path), "rb")  # noqa: SIM115 - the caller's FileResponse closes it


def delete_private(relative_path: str) -> None:
    """Remove a stored file (for instance when the transaction that referred to it failed)."""
    with contextlib.suppress(ValueError):
        private_path(relative_path).unlink(missing_ok=True)
