"""Inviting a ministry user: an account without a password, and a link to set one."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from catalogue.models import Category

from .campaigns.emails import plain_text
from .models import Membership, MemberState


def password_link(user: AbstractBaseUser, base_url: str) -> str:
    """A one-time link to Django's password-set page (valid PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


@transaction.atomic
def user_invite(
    *,
    email: str,
    username: str,
    country: MemberState,
    role: str,
    categories: Iterable[Category] = (),
    base_url: str,
    first_name: str = "",
    last_name: str = "",
    ministry: str = "",
) -> Membership:
    """Create (or reuse) the account, give it the role for the country, e-mail the link."""
    users = get_user_model()
    user, created = users.objects.get_or_create(
        username=username,
        defaults={"email": email, "first_name": first_name, "last_name": last_name},
    )
    if created:
        user.set_unusable_password()
        user.save()
    membership, _ = Membership.objects.update_or_create(
        user=user, country=country, defaults={"role": role, "ministry": ministry}
    )
    membership.categories.set(categories)
    link = password_link(user, base_url)
    subject = gettext("TA Needs: you are invited to answer for %(country)s") % {
        "country": country.name
    }
    transaction.on_commit(
        lambda: send_mail(
            subject=subject,
            message=plain_text(
                render_to_string(
                    "assessments/email/invitation.txt",
                    {"user": user, "membership": membership, "link": link},
                )
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email or email],
        )
    )
    return membership
