"""The database session engine, saving a changed session with one UPDATE.

Django's engine wraps every save in ``transaction.atomic()`` so that a failed INSERT of a new key
cannot break an outer transaction; for an UPDATE of an existing row that adds a BEGIN and a COMMIT
around one statement that is atomic by itself. Sessions are saved outside any transaction (by the
session middleware, after the view), so the idle-timeout renewal costs one statement, not three.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import router


class SessionStore(db.SessionStore):
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
