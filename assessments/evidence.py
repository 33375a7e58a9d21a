"""Evidence files: what may be uploaded, and storing it through Django's storage API."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from .answering import assessment_lock_open
from .models import Answer, Evidence

MAX_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = {
    ".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".csv", ".txt",
    ".png", ".jpg", ".jpeg",
}
TOO_LARGE = gettext_noop(
    "“{name}” is {size:.1f} MB: files must be at most 10 MB. Attach a smaller file."
)
BAD_TYPE = gettext_noop(
    "“{name}” is not accepted: attach a PDF, Word, Excel, OpenDocument, text, CSV or image "
    "(PNG, JPEG) file."
)
# A few leading bytes per kind, so a renamed executable is not taken for a PDF.
SIGNATURES = {
    ".pdf": [b"%PDF"],
    ".png": [b"\x89PNG"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".docx": [b"PK\x03\x04"],
    ".xlsx": [b"PK\x03\x04"],
    ".odt": [b"PK\x03\x04"],
    ".ods": [b"PK\x03\x04"],
    ".doc": [b"\xd0\xcf\x11\xe0"],
    ".xls": [b"\xd0\xcf\x11\xe0"],
}


def evidence_problem(upload: UploadedFile) -> str | None:
    """Why the file cannot be accepted, or None."""
    name = PurePath(upload.name or "file").name
    extension = PurePath(name).suffix.lower()
    if upload.size > MAX_BYTES:
        return gettext(TOO_LARGE).format(name=name, size=upload.size / 1024 / 1024)
    if extension not in ALLOWED_EXTENSIONS:
        return gettext(BAD_TYPE).format(name=name)
    head = upload.read(8)
    upload.seek(0)
    signatures = SIGNATURES.get(extension)
    if signatures and not any(head.startswith(s) for s in signatures):
        return gettext(BAD_TYPE).format(name=name)
    if extension in {".txt", ".csv"} and b"\x00" in head:
        return gettext(BAD_TYPE).format(name=name)
    return None


@transaction.atomic
def evidence_add(*, answer: Answer, upload: UploadedFile, user: AbstractBaseUser) -> Evidence:
    """Store the file with the answer; raises ``AssessmentClosed`` once it is submitted."""
    assessment_lock_open(answer.assessment_id)
    name = PurePath(upload.name or "file").name
    evidence = Evidence(answer=answer, original_name=name, size=upload.size, uploaded_by=user)
    evidence.file.save(name, upload, save=False)
    evidence.save()
    return evidence
