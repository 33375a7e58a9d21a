"""Every URL, every method, every kind of user: who sees what.

The list of URLs comes from the URLconf itself, so a view nobody listed here fails the test.
Another country's objects answer 404 (their existence is not revealed), never 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.evidence import evidence_add

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "focal_a", "contrib_a", "reader_a", "user_b", "staff")
LOGIN = "login"  # a redirect to the login page


def everyone(code: int | str, **overrides: int | str) -> dict[str, int | str]:
    """The same answer for every logged-in role, a login redirect for anonymous users."""
    return {"anonymous": LOGIN, **{r: code for r in ROLES[1:]}, **overrides}


def country_a(code: int | str, **overrides: int | str) -> dict[str, int | str]:
    """Country A's people and staff get ``code``; country B's focal point gets 404."""
    return everyone(code, user_b=404, **overrides)


@dataclass
class Spec:
    get: dict[str, int | str]
    post: dict[str, int | str]
    kwargs: Callable = field(default=lambda cast: {})
    kwargs_of_b: Callable | None = None  # the same URL pointing at country B's object


PUBLIC = {r: 200 for r in ROLES}
# A method a view does not take is refused before anything else, whoever asks: 405 says
# nothing about whether the object exists.
NOT_ALLOWED = {r: 405 for r in ROLES}

EXPECTED: dict[str, Spec] = {
    "login": Spec(get=PUBLIC, post=PUBLIC),
    "logout": Spec(get=NOT_ALLOWED, post={r: LOGIN for r in ROLES}),
    "password_reset_confirm": Spec(
        get=PUBLIC, post=PUBLIC, kwargs=lambda c: {"uidb64": "MQ", "token": "bad-token"}
    ),
    "password_reset_complete": Spec(get=PUBLIC, post=NOT_ALLOWED),
    "password_reset": Spec(get=PUBLIC, post=PUBLIC),
    "password_reset_done": Spec(get=PUBLIC, post=NOT_ALLOWED),
    "password_change": Spec(get=everyone(200), post=everyone(200)),
    "account_security": Spec(get=everyone(200), post=NOT_ALLOWED),
    # Ministry users without a second factor have nothing to verify: back to their page.
    "two_factor_verify": Spec(get=everyone(302, staff=200), post=everyone(302, staff=200)),
    "two_factor_setup": Spec(get=everyone(200), post=everyone(200)),
    # New recovery codes need a verified second factor: others are sent to give it first.
    "recovery_codes_new": Spec(get=NOT_ALLOWED, post=everyone(302, staff=200)),
    "two_factor_remove": Spec(get=NOT_ALLOWED, post=everyone(302)),
    "health": Spec(get=PUBLIC, post=NOT_ALLOWED),
    # Back to the page the switcher was on (the home page when none is given).
    "set_language": Spec(get=NOT_ALLOWED, post={r: 302 for r in ROLES}),
    "session_status": Spec(get=everyone(200, anonymous=401), post=NOT_ALLOWED),
    "home": Spec(get=everyone(200), post=everyone(405)),
    "catalogue:framework": Spec(get=everyone(200), post=everyone(405)),
    "catalogue:category": Spec(
        get=everyone(200), post=everyone(405), kwargs=lambda c: {"numeral": "VII"}
    ),
    "catalogue:compendium": Spec(get=everyone(200), post=everyone(405)),
    "catalogue:entry": Spec(
        get=everyone(200), post=everyone(405), kwargs=lambda c: {"ref": "A-3.4"}
    ),
    "assessments:overview": Spec(
        get=country_a(200),
        post=NOT_ALLOWED,
        kwargs=lambda c: {"pk": c.assessment_a.pk},
        kwargs_of_b=lambda c: {"pk": c.assessment_b.pk},
    ),
    "assessments:profile": Spec(
        get=country_a(200),
        post=country_a(403, focal_a=200),
        kwargs=lambda c: {"pk": c.assessment_a.pk},
        kwargs_of_b=lambda c: {"pk": c.assessment_b.pk},
    ),
    "assessments:need_search": Spec(
        get=country_a(200),
        post=NOT_ALLOWED,
        kwargs=lambda c: {"pk": c.assessment_a.pk},
        kwargs_of_b=lambda c: {"pk": c.assessment_b.pk},
    ),
    "assessments:section": Spec(
        get=country_a(200),
        post=country_a(403, focal_a=302),
        kwargs=lambda c: {"pk": c.assessment_a.pk, "numeral": "I"},
        kwargs_of_b=lambda c: {"pk": c.assessment_b.pk, "numeral": "I"},
    ),
    "assessments:autosave": Spec(
        get=NOT_ALLOWED,
        post=country_a(403, focal_a=422),
        kwargs=lambda c: {"pk": c.assessment_a.pk, "answer_pk": c.answer_a.pk},
        kwargs_of_b=lambda c: {"pk": c.assessment_b.pk, "answer_pk": c.answer_b.pk},
    ),
    "assessments:item_details": Spec(
        get=country_a(200),
        post=NOT_ALLOWED,
        kwargs=lambda c: {"pk": c.assessment_a.pk, "answer_pk": c.answer_a.pk},
        kwargs_of_b=lambda c: {"pk": c.assessment_b.pk, "answer_pk": c.answer_b.pk},
    ),
    "assessments:evidence": Spec(
        get=country_a(200),
        post=NOT_ALLOWED,
        kwargs=lambda c: {"pk": c.assessment_a.pk, "evidence_pk": c.evidence_a.pk},
        kwargs_of_b=lambda c: {"pk": c.assessment_b.pk, "evidence_pk": c.evidence_b.pk},
    ),
    "assessments:submit": Spec(
        get=country_a(200),
        post=country_a(403, focal_a=200),
        kwargs=lambda c: {"pk": c.assessment_a.pk},
        kwargs_of_b=lambda c: {"pk": c.assessment_b.pk},
    ),
    "scoring:results": Spec(
        get=country_a(200),
        post=NOT_ALLOWED,
        kwargs=lambda c: {"pk": c.assessment_a.pk},
        kwargs_of_b=lambda c: {"pk": c.assessment_b.pk},
    ),
    "scoring:action_plan": Spec(
        get=country_a(200),
        post=NOT_ALLOWED,
        kwargs=lambda c: {"pk": c.assessment_a.pk},
        kwargs_of_b=lambda c: {"pk": c.assessment_b.pk},
    ),
    "scoring:heatmap": Spec(get=everyone(404, staff=200), post=NOT_ALLOWED),
    "scoring:export": Spec(get=everyone(404, staff=200), post=NOT_ALLOWED),
    # Response tracking of a cycle, and its export: staff only.
    "assessments:tracking": Spec(
        get=everyone(404, staff=200),
        post=NOT_ALLOWED,
        kwargs=lambda c: {"pk": c.assessment_a.cycle_id},
    ),
    "assessments:tracking_export": Spec(
        get=everyone(404, staff=200),
        post=NOT_ALLOWED,
        kwargs=lambda c: {"pk": c.assessment_a.cycle_id},
    ),
    # Everyone who may see the country may ask for its report (302 to the job's page).
    "reports:request_country": Spec(
        get=NOT_ALLOWED,
        post=country_a(302),
        kwargs=lambda c: {"assessment_pk": c.assessment_a.pk},
        kwargs_of_b=lambda c: {"assessment_pk": c.assessment_b.pk},
    ),
    # Overviews are for staff: others are told nothing exists (404), staff go to the job (302).
    "reports:overview_request": Spec(
        get=NOT_ALLOWED,
        post=everyone(404, staff=302),
        kwargs=lambda c: {"cycle_pk": c.assessment_a.cycle_id},
    ),
    "reports:job": Spec(
        get=country_a(200),
        post=NOT_ALLOWED,
        kwargs=lambda c: {"pk": c.job_a.pk},
        kwargs_of_b=lambda c: {"pk": c.job_b.pk},
    ),
    "reports:download": Spec(
        get=country_a(200),
        post=NOT_ALLOWED,
        kwargs=lambda c: {"pk": c.job_a.pk},
        kwargs_of_b=lambda c: {"pk": c.job_b.pk},
    ),
    "assessments:review": Spec(
        get=country_a(404, staff=200),
        post=country_a(404, staff=200),
        kwargs=lambda c: {"pk": c.assessment_a.pk},
        kwargs_of_b=lambda c: {"pk": c.assessment_b.pk},
    ),
}


def url_names(patterns=None, namespace: str = "") -> set[str]:
    """Every named URL of the site, the admin's excepted (Django guards it for staff)."""
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_of_the_site_is_listed_here():
    assert url_names() == set(EXPECTED), "list the new view's expected answers in EXPECTED"


@pytest.fixture
def world(cast):
    cast.answer_a = cast.assessment_a.answers.get(activity__ref="I.1")
    cast.answer_b = cast.assessment_b.answers.get(activity__ref="I.1")
    cast.evidence_a = evidence_add(
        answer=cast.answer_a, upload=SimpleUploadedFile("a.pdf", b"%PDF a"), user=cast.focal_a
    )
    cast.evidence_b = evidence_add(
        answer=cast.answer_b, upload=SimpleUploadedFile("b.pdf", b"%PDF b"), user=cast.user_b
    )
    cast.job_a, cast.job_b = (
        done_report(cast.assessment_a), done_report(cast.assessment_b)
    )
    return cast


def done_report(assessment):
    from reports.models import ReportJob

    job = ReportJob.objects.create(
        assessment=assessment, cycle=assessment.cycle, status=ReportJob.Status.DONE
    )
    job.file.save("report.pdf", ContentFile(b"%PDF-1.7 report"))
    return job


def answer_of(client, role, world, method, url):
    client.logout()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    response = getattr(client, method)(url)
    if response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_the_expected_answer(client, world, name):
    spec = EXPECTED[name]
    url = reverse(name, kwargs=spec.kwargs(world))
    for method in ("get", "post"):
        expected = getattr(spec, method)
        got = {role: answer_of(client, role, world, method, url) for role in ROLES}
        assert got == expected, f"{method.upper()} {url}"


@pytest.mark.parametrize("name", sorted(n for n, s in EXPECTED.items() if s.kwargs_of_b))
def test_country_a_never_reaches_country_b_objects(client, world, name):
    url = reverse(name, kwargs=EXPECTED[name].kwargs_of_b(world))
    for role in ("focal_a", "contrib_a", "reader_a"):
        for method in ("get", "post"):
            got = answer_of(client, role, world, method, url)
            assert got in (404, 405), f"{role} {method.upper()} {url}: {got}"
    # ... while country B's focal point reaches them as country A's focal point reaches A's.
    assert answer_of(client, "user_b", world, "get", url) == EXPECTED[name].get["focal_a"]


def test_the_admin_is_for_staff_only(client, world):
    for role in ROLES:
        status = answer_of(client, role, world, "get", reverse("admin:index"))
        expected = 200 if role == "staff" else 302
        assert (status if status != LOGIN else 302) == expected, role


# Odd values in a URL: a NUL byte, a broken or huge value, in each argument of each URL and in
# the query string. Nothing is found, nothing breaks: 404 (or 400), never a 500. PostgreSQL
# refuses NUL in a query parameter, so this matters most when DATABASE_URL is PostgreSQL.
ODD_VALUES = ("%00", "x%00y", "%C0%AF", "99999999999999999999999", "-1")
ODD_QUERY = "?q=%00&page=%00&region=%00&kind=x%00&category=%00&next=%00"


def odd_urls(world) -> list[str]:
    """Each URL with one argument replaced by an odd value, or with an odd query string."""
    urls = []
    for name, spec in sorted(EXPECTED.items()):
        kwargs = spec.kwargs(world)
        url = reverse(name, kwargs=kwargs)
        urls.append(url + ODD_QUERY)
        for value in kwargs.values():
            segment = f"/{value}/"
            assert segment in url, (name, url)
            urls += [url.replace(segment, f"/{odd}/", 1) for odd in ODD_VALUES]
    return urls


def test_odd_values_in_a_url_never_answer_500(client, world):
    client.raise_request_exception = False  # a crash is what we look for: count it as a 500
    got: dict[str, int] = {}
    for role in ("focal_a", "staff"):  # anonymous users are sent to log in before any lookup
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(world, role))
        for url in odd_urls(world):
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if status >= 500:
                    got[f"{role} {method.upper()} {url}"] = status
    assert got == {}


@pytest.mark.parametrize("url", ["/catalogue/categories/%00/", "/catalogue/compendium/%00/"])
def test_a_nul_byte_in_a_path_is_a_bad_request(admin_client, url):
    assert admin_client.get(url).status_code == 400
