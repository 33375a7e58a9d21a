"""Signing in: lock-out, the second factor, passwords and the life of a session."""

from __future__ import annotations

import re
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.sessions import LAST_SEEN
from assessments.models import Membership
from audit.services import client_address
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
NEUTRAL = "Too many failed sign-in attempts"


def sign_in(client, username, password=PASSWORD, address="192.0.2.10", path=LOGIN, **extra):
    return client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or ``steps_ahead`` periods later)."""
    return f"{totp(device.bin_key, device.step, device.t0 - steps_ahead * device.step):06d}"


# --- lock-out ----------------------------------------------------------------------------


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, cast):
    for n in range(5):
        sign_in(client, "ken-focal", "wrong", address=f"192.0.2.{n + 1}")
    response = sign_in(client, "ken-focal", address="198.51.100.7")
    assert response.status_code == 429
    assert NEUTRAL in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_out_message_is_the_same_for_names_that_do_not_exist(client, cast):
    answers = []
    for name in ("ken-focal", "nobody-at-all"):
        for n in range(6):
            response = sign_in(client, name, "wrong", address=f"203.0.113.{n + 1}")
        page = re.sub(r"[A-Za-z0-9]{48,}", "", response.content.decode())  # CSRF tokens
        answers.append((response.status_code, page.replace(name, "")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 429


def test_repeated_failures_from_one_address_lock_that_address_for_every_name(client, cast):
    for n in range(5):
        sign_in(client, f"guess-{n}", "wrong", address="192.0.2.66")
    assert sign_in(client, "fji-focal", address="192.0.2.66").status_code == 429
    assert sign_in(client, "fji-focal", address="192.0.2.67").status_code == 302


def test_the_admin_login_is_locked_out_too(client, cast):
    for _ in range(5):
        sign_in(client, "alice", "wrong", path="/admin/login/")
    response = sign_in(client, "alice", path="/admin/login/")
    assert response.status_code == 429
    assert NEUTRAL in response.content.decode()


def test_staff_unlock_an_account_in_admin(client, cast):
    for _ in range(5):
        sign_in(client, "ken-focal", "wrong")
    assert sign_in(client, "ken-focal").status_code == 429

    staff = client.__class__()
    staff.force_login(cast.staff)
    changelist = staff.get(reverse("admin:axes_accessattempt_changelist"), {"q": "ken-focal"})
    assert "ken-focal" in changelist.content.decode()
    attempts = AccessAttempt.objects.filter(username="ken-focal")
    response = staff.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk for a in attempts], "post": "yes"},
    )
    assert response.status_code == 302
    assert sign_in(client, "ken-focal").status_code == 302


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_address(request) == "192.0.2.1"


def test_behind_a_trusted_proxy_the_address_it_saw_is_used(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # nginx as docs/deployment.md sets it up: the header holds the address it saw.
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert client_address(request) == "203.0.113.6"
    # A proxy that appends: what the client wrote itself is further left, and ignored.
    request = rf.get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.5"
    )
    assert client_address(request) == "203.0.113.5"
    # No header, or garbage: the connection's address.
    assert client_address(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert client_address(request) == "127.0.0.1"


def test_two_trusted_proxies_take_the_second_address_from_the_right(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.2"
    )
    assert client_address(request) == "203.0.113.7"


def test_the_lock_out_counts_the_address_the_trusted_proxy_saw(client, cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        sign_in(client, f"guess-{n}", "wrong", address="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.20")
    locked = sign_in(client, "fji-focal", address="127.0.0.1",
                     HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert locked.status_code == 429
    other = sign_in(client, "fji-focal", address="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.21")
    assert other.status_code == 302


# --- two-factor sign-in ------------------------------------------------------------------


def test_staff_must_set_up_a_second_factor_before_reaching_admin(client, cast):
    response = sign_in(client, "alice")
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_setup"))
    page = response.content.decode()
    assert "data:image/svg+xml;base64," in page

    device = TOTPDevice.objects.get(user=cast.staff, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "This code is not right" in wrong.content.decode()
    time.sleep(1.1)  # django-otp makes a device wait 1 s after a wrong code, doubling each time
    done = client.post(reverse("two_factor_setup"), {"code": code_of(device), "next": "/admin/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200


@pytest.fixture
def staff_with_authenticator(cast):
    device = TOTPDevice.objects.create(user=cast.staff, name="phone", confirmed=True)
    from accounts.twofactor import recovery_codes_issue

    return device, recovery_codes_issue(user=cast.staff)


def test_staff_sign_in_with_password_and_code(client, cast, staff_with_authenticator):
    device, _ = staff_with_authenticator
    sign_in(client, "alice")
    assert client.get("/admin/")["Location"].startswith(reverse("two_factor_verify"))
    refused = client.post(reverse("two_factor_verify"), {"code": "123456", "next": "/admin/"})
    assert refused.status_code == 200
    assert "This code is not right" in refused.content.decode()
    time.sleep(1.1)  # the wait django-otp imposes after a wrong code
    response = client.post(
        reverse("two_factor_verify"), {"code": code_of(device, 1), "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(client, cast, staff_with_authenticator):
    _, codes = staff_with_authenticator
    sign_in(client, "alice")
    response = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 302
    client.post(reverse("logout"))
    sign_in(client, "alice")
    again = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert again.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_an_unverified_staff_session_gets_no_page(client, cast, staff_with_authenticator):
    sign_in(client, "alice")
    assessment = reverse("assessments:overview", args=[cast.assessment_a.pk])
    assert client.get(assessment).status_code == 302
    autosave = reverse(
        "assessments:autosave",
        args=[cast.assessment_a.pk, cast.assessment_a.answers.first().pk],
    )
    assert client.post(autosave, HTTP_ACCEPT="application/json").status_code == 401


def test_a_password_alone_cannot_replace_the_authenticator(client, cast, staff_with_authenticator):
    sign_in(client, "alice")
    response = client.get(reverse("two_factor_setup"))
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_ministry_users_sign_in_without_a_second_factor_until_they_turn_it_on(client, cast):
    assert sign_in(client, "ken-focal").status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert "Off." in client.get(reverse("account_security")).content.decode()

    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=cast.focal_a)
    client.post(reverse("two_factor_setup"), {"code": code_of(device)})
    client.post(reverse("logout"))

    sign_in(client, "ken-focal")
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"code": code_of(device, 1)})
    assert client.get(reverse("home")).status_code == 200

    client.post(reverse("two_factor_remove"))
    assert not TOTPDevice.objects.filter(user=cast.focal_a).exists()
    client.post(reverse("logout"))
    sign_in(client, "ken-focal")
    assert client.get(reverse("home")).status_code == 200


def test_staff_cannot_turn_the_second_factor_off(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("two_factor_remove"), follow=True)
    assert "must keep two-factor sign-in" in response.content.decode()
    assert TOTPDevice.objects.filter(user=cast.staff).exists()


# --- passwords ---------------------------------------------------------------------------


def test_a_ministry_user_changes_their_password(client, cast):
    client.force_login(cast.focal_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer new passphrase",
            "new_password2": "a much longer new passphrase",
        },
    )
    assert response.status_code == 302
    client.post(reverse("logout"))
    assert sign_in(client, "ken-focal", "a much longer new passphrase").status_code == 302


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, cast):
    known = client.post(reverse("password_reset"), {"email": "ken-focal@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ken-focal@example.org"]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_the_login_page_offers_the_password_reset(client):
    assert reverse("password_reset") in client.get(LOGIN).content.decode()


# --- sessions ----------------------------------------------------------------------------


def test_a_deactivated_users_sessions_end_at_once(client, cast):
    sign_in(client, "ken-focal")
    assert client.get(reverse("home")).status_code == 200
    key = client.session.session_key
    cast.focal_a.is_active = False
    cast.focal_a.save()
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home"))["Location"].startswith(LOGIN)


def test_a_removed_membership_ends_the_users_sessions(client, cast):
    sign_in(client, "ken-focal")
    key = client.session.session_key
    Membership.objects.get(user=cast.focal_a).delete()
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home"))["Location"].startswith(LOGIN)


def test_an_idle_session_ends_and_the_login_brings_the_user_back(client, cast, settings):
    sign_in(client, "ken-focal")
    section = reverse("assessments:section", args=[cast.assessment_a.pk, "I"])
    assert client.get(section).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_MINUTES * 60 - 1
    session.save()

    response = client.get(section)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={section}"
    back = client.post(
        LOGIN, {"username": "ken-focal", "password": PASSWORD, "next": section},
        REMOTE_ADDR="192.0.2.10",
    )
    assert back["Location"] == section


def test_an_active_session_is_kept_alive_without_a_write_at_every_request(client, cast):
    sign_in(client, "ken-focal")
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 120
    session.save()
    before = Session.objects.get(session_key=session.session_key).expire_date
    client.get(reverse("home"))
    after = Session.objects.get(session_key=session.session_key).expire_date
    assert after > before
    client.get(reverse("home"))
    assert Session.objects.get(session_key=session.session_key).expire_date == after


def test_a_new_user_is_not_asked_for_a_second_factor(client, db):
    user = UserFactory(username="new-reader")
    assert sign_in(client, user.username).status_code == 302
    assert client.get(reverse("home")).status_code == 200
