"""The e-mail log as an outbox: a row is written first (in the recipient's language), then sent.

Writing the row inside the caller's transaction means an e-mail exists only if the action that
asked for it committed; sending it afterwards, from a worker, means a slow or failing mail server
never blocks that action. Failed and forgotten rows are retried by beat (``emails_retry``).
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import UserPreference

from ..models import Assessment, Email, EmailPreference

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A pending row older than this was never handed to a worker (the broker was down): send it.
PENDING_GRACE = datetime.timedelta(minutes=5)
OPTED_OUT = "The recipient has opted out of reminders."
NO_ADDRESS = "The recipient has no e-mail address."


def recipient_language(user: AbstractBaseUser) -> str:
    """The user's saved language (the site's and the e-mails') if the site offers it, else the
    site's language: an e-mail has no browser to ask."""
    try:
        language = user.preference.language
    except UserPreference.DoesNotExist:
        language = ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def wants_reminders(user: AbstractBaseUser) -> bool:
    try:
        return user.email_preference.reminders
    except EmailPreference.DoesNotExist:
        return True


def plain_text(rendered: str) -> str:
    """The rendered template without the blank lines its tags leave behind."""
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", rendered).strip() + "\n"


def site_link(viewname: str, *args: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(viewname, args=args)


def email_queue(
    *,
    assessment: Assessment,
    recipient: AbstractBaseUser,
    kind: str,
    key: str,
    subject: Callable[[], str],
    template: str,
    context: dict,
    skip_reason: str = "",
) -> tuple[Email, bool]:
    """Write the e-mail once for (assessment, recipient, key); ``True`` if this call wrote it.

    ``subject`` is called, and the template rendered, in the recipient's language. A second
    call with the same key (another worker, a restarted beat) finds the row and writes nothing.
    """
    existing = Email.objects.filter(assessment=assessment, recipient=recipient, key=key).first()
    if existing is not None:
        return existing, False
    language = recipient_language(recipient)
    if not skip_reason and not recipient.email:
        skip_reason = NO_ADDRESS
    with translation.override(language):
        values = {
            "kind": kind,
            "address": recipient.email,
            "language": language,
            "subject": subject()[:200],
            "body": plain_text(render_to_string(template, {**context, "recipient": recipient})),
            "status": Email.Status.SKIPPED if skip_reason else Email.Status.PENDING,
            "error": skip_reason,
        }
    return Email.objects.get_or_create(
        assessment=assessment, recipient=recipient, key=key, defaults=values
    )


def email_send(email_id: int) -> bool:
    """Send one logged e-mail, recording the outcome; ``True`` if it went out.

    The conditional UPDATE is the claim: when two workers hold the same id, one sends.
    """
    claimed = Email.objects.filter(
        pk=email_id,
        status__in=[Email.Status.PENDING, Email.Status.FAILED],
        attempts__lt=MAX_ATTEMPTS,
    ).update(status=Email.Status.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return False
    email = Email.objects.get(pk=email_id)
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.address],
        headers={"Content-Language": email.language},
    )
    try:
        message.send()
    except Exception as exc:  # whatever the mail server says is recorded, then retried
        logger.warning("E-mail %s to %s failed: %s", email.pk, email.address, exc)
        Email.objects.filter(pk=email.pk).update(status=Email.Status.FAILED, error=str(exc)[:2000])
        return False
    Email.objects.filter(pk=email.pk).update(
        status=Email.Status.SENT, sent_at=timezone.now(), error=""
    )
    return True


def emails_dispatch(email_ids: list[int]) -> None:
    """Hand each e-mail to a worker; one the broker refuses waits for ``emails_retry``."""
    from ..tasks import email_send_task  # the tasks module builds on this one

    for email_id in email_ids:
        try:
            email_send_task.delay(email_id)
        except Exception:  # the broker is down: the row stays pending and beat sends it
            logger.exception("Could not queue e-mail %s; it will be retried.", email_id)


def emails_send_on_commit(emails: list[Email]) -> None:
    ids = [e.pk for e in emails if e.status == Email.Status.PENDING]
    if ids:
        transaction.on_commit(lambda: emails_dispatch(ids), robust=True)


def emails_retry(now: datetime.datetime | None = None) -> int:
    """Send the failed e-mails that have attempts left and the pending ones nobody sent."""
    now = now or timezone.now()
    retry = Email.objects.filter(
        Q(status=Email.Status.FAILED, attempts__lt=MAX_ATTEMPTS)
        | Q(status=Email.Status.PENDING, created_at__lt=now - PENDING_GRACE)
    ).values_list("pk", flat=True)
    return sum(email_send(pk) for pk in list(retry))
