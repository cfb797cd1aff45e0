"""The database session engine, reading a session with one written statement and saving a changed
one with one UPDATE.

Django's engine wraps every save in ``transaction.atomic()`` so that a failed INSERT of a new key
cannot break an outer transaction; for an UPDATE of an existing row that adds a BEGIN and a COMMIT
around one statement that is atomic by itself. Sessions are saved outside any transaction (by the
session middleware, after the view), so the idle-timeout renewal costs one statement, not three.

Every signed-in request reads its session, and Django's engine builds and compiles a queryset for
it (``objects.get(session_key=…, expire_date__gt=now)``): ~40 % of loading the request's user, in
the ORM's Python rather than the database (py-spy over the hostile form suite). The statement never
changes, so it is written once here.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import connections, router
from django.utils import timezone

# django.contrib.sessions' own table (Session.Meta.db_table), as Django's engine reads it.
READ = "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s"


class SessionStore(db.SessionStore):
    def load(self):
        """The session's data, or {} (and no key) if it has expired or does not exist, as
        Django's ``load`` gives it."""
        connection = connections[router.db_for_read(self.model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(READ, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])

    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        obj = self.create_model_instance(self._get_session())
        using = router.db_for_write(self.model, instance=obj)
        updated = (
            self.model._base_manager.using(using)
            .filter(pk=obj.pk)
            .update(session_data=obj.session_data, expire_date=obj.expire_date)
        )
        if not updated:  # deleted meanwhile (signed out elsewhere, account disabled)
            raise UpdateError
