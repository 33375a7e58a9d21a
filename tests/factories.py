"""factory-boy factories for the few rows tests make beyond the real reference data."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from catalogue.models import Activity, Category, Entry

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    numeral = factory.Sequence(lambda n: f"Z{n}")
    title = factory.Sequence(lambda n: f"Test category {n}")
    position = factory.Sequence(lambda n: 100 + n)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    ref = factory.Sequence(lambda n: f"Z.{n}")
    category = factory.SubFactory(CategoryFactory)
    number = factory.Sequence(lambda n: str(n))
    text = factory.Sequence(lambda n: f"Test activity {n}")
    position = factory.Sequence(lambda n: 1000 + n)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    ref = factory.Sequence(lambda n: f"T-test-{n}")
    part = "B"
    title = factory.Sequence(lambda n: f"Test handbook {n}")
    kind = Entry.Kind.HANDBOOK
    position = factory.Sequence(lambda n: 5000 + n)


def assessment_complete(assessment) -> None:
    """Answer every item of the assessment (level unknown) and its profile: ready to submit."""
    assessment.answers.update(state="unknown", needs_confirmation=False, assistance_needed=False)
    assessment.ratifications.update(status="unknown")
    assessment.legal_tradition = "common"
    assessment.save(update_fields=["legal_tradition"])
