"""Events Django and django-axes announce: sign-ins, failures, lock-outs, staff rights."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from import_export.signals import post_export, post_import

from .services import Kind, audit_record

User = get_user_model()
RIGHTS = ("is_staff", "is_superuser", "is_active")


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs) -> None:
    audit_record(Kind.SIGN_IN, user=user, request=request)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(Kind.SIGN_OUT, user=user, request=request)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in ``credentials``; only the name is kept.
    audit_record(
        Kind.SIGN_IN_FAILED, username=str(credentials.get("username", "")), request=request
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit_record(Kind.LOCKED_OUT, username=username or "", request=request)


@receiver(pre_save, sender=User)
def _remember_rights(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not set(RIGHTS) & set(update_fields):
        instance._rights_before = None  # e.g. last_login at each sign-in: nothing to compare
        return
    if instance.pk:
        instance._rights_before = (
            User.objects.filter(pk=instance.pk).values_list(*RIGHTS).first()
        )


@receiver(post_save, sender=User)
def _rights_changed(sender, instance, created, **kwargs) -> None:
    before = getattr(instance, "_rights_before", None)
    now = tuple(getattr(instance, name) for name in RIGHTS)
    if created:
        before = (False, False, True)  # a new account: record only rights beyond the default
    if before is None or before == now:
        return
    changes = [
        f"{name}={value}"
        for name, old, value in zip(RIGHTS, before, now, strict=True)
        if old != value
    ]
    audit_record(Kind.ROLE_CHANGE, obj=instance, detail=", ".join(changes))


@receiver(m2m_changed, sender=User.groups.through)
def _groups_changed(sender, instance, action, pk_set, reverse, **kwargs) -> None:
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    from django.contrib.auth.models import Group

    names = sorted(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    audit_record(
        Kind.ROLE_CHANGE, obj=instance, detail=f"groups {action[5:]}: {', '.join(names)}"
    )


@receiver(post_import)
def _imported(sender, model, **kwargs) -> None:
    # Sent by django-import-export after an import was written; the actor and the address
    # come from the request being served.
    audit_record(Kind.IMPORT, detail=model._meta.label_lower)


@receiver(post_export)
def _exported(sender, model, **kwargs) -> None:
    audit_record(Kind.EXPORT, detail=model._meta.label_lower)
