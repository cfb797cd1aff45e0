"""Keep a user's membership of their unit's group in step with ``User.unit``.

Object permissions granted to a unit (交办) live on the unit's group; guardian's own permission
checks (admin, ``user.has_perm(perm, obj)``) see them only through membership.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts.models import Unit, User


@receiver(pre_save, sender=User)
def remember_previous_unit(sender, instance, **kwargs):
    if instance.pk:
        instance._previous_unit_id = (
            User.objects.filter(pk=instance.pk).values_list("unit_id", flat=True).first()
        )
    else:
        instance._previous_unit_id = None


@receiver(post_save, sender=User)
def sync_unit_group(sender, instance, **kwargs):
    previous = getattr(instance, "_previous_unit_id", None)
    if previous == instance.unit_id and not kwargs.get("created"):
        return
    if previous and previous != instance.unit_id:
        old_group = Unit.objects.filter(pk=previous).values_list("group_id", flat=True).first()
        if old_group:
            instance.groups.remove(old_group)
    if instance.unit_id:
        instance.groups.add(instance.unit.group_id)


@receiver(post_save, sender=User)
def end_sessions_of_disabled_users(sender, instance, **kwargs):
    """A disabled account loses every session at once, not at its next request."""
    if instance.is_active:
        return
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    uid = str(instance.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == uid:
            session.delete()
