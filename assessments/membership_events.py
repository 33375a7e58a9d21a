"""Memberships change who sees a country: each change goes to the audit log, and a removed
membership ends the user's sessions at once (a page already open cannot be used any more)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from accounts.sessions import sessions_end
from audit.services import Kind, audit_record

from .models import Membership


@receiver(pre_save, sender=Membership)
def _remember_role(sender, instance: Membership, **kwargs) -> None:
    instance._role_before = (
        Membership.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Membership)
def _role_granted_or_changed(sender, instance: Membership, created: bool, **kwargs) -> None:
    before = getattr(instance, "_role_before", None)
    if not created and before == instance.role:
        return
    change = f"{before} -> {instance.role}" if before else f"granted {instance.role}"
    audit_record(
        Kind.ROLE_CHANGE, obj=instance, country=instance.country.iso3,
        detail=f"{instance.user.get_username()}: {change}",
    )


@receiver(post_delete, sender=Membership)
def _membership_removed(sender, instance: Membership, **kwargs) -> None:
    audit_record(
        Kind.ROLE_CHANGE, country=instance.country.iso3,
        object_type="assessments.membership", object_id=instance.pk,
        detail=f"{instance.user.get_username()}: removed {instance.role}",
    )
    sessions_end(user=instance.user)
