"""Two-factor sign-in with django-otp: a TOTP authenticator app, and recovery codes (a static
device) for the day the phone is lost. Required for staff and superusers; a ministry user may
turn it on (and off again)."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import django_otp
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from .sessions import SECOND_FACTOR

RECOVERY_CODES = 10
AUTHENTICATOR = "Authenticator app"
RECOVERY = "Recovery codes"


def second_factor_required(user) -> bool:
    """Staff and superusers must sign in with a second factor."""
    return bool(user.is_staff or user.is_superuser)


def second_factor_needed(user, session) -> bool:
    """Whether this session must give a second factor: required for the user, or set up by
    them (known from the sign-in, so no query is made at each request)."""
    return second_factor_required(user) or bool(session.get(SECOND_FACTOR))


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, for typing into the app by hand
    qr_data_uri: str


def totp_enrolment(user) -> Enrolment:
    """The unconfirmed authenticator of the user (made on first call), to scan and confirm."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    svg = io.BytesIO()
    write_qrcode_image(device.config_url, svg)
    return Enrolment(
        device=device,
        secret=base64.b32encode(device.bin_key).decode(),
        qr_data_uri="data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode(),
    )


@transaction.atomic
def totp_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns fresh recovery codes, or None
    when the code is wrong. Any earlier authenticator of the user is replaced."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user=user)


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """New single-use recovery codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_verify(*, user, token: str):
    """The device (authenticator or recovery codes) that accepts ``token``, or None.

    Each device throttles wrong codes itself (django-otp doubles the wait after each one).
    """
    token = "".join(token.split()).lower()
    for device in django_otp.devices_for_user(user):
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


@transaction.atomic
def second_factor_remove(*, user) -> None:
    """Turn two-factor sign-in off (ministry users only: staff cannot)."""
    if second_factor_required(user):
        raise PermissionError("Staff must keep two-factor sign-in.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
