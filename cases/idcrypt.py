"""ID numbers at rest: encrypted with keys from the environment, searched by a keyed hash.

``Person.id_number`` is an ``EncryptedIdNumberField``: Python code reads and writes the canonical
number as before, the column holds a Fernet token (AES-128-CBC with HMAC-SHA256, random IV, from the
pinned ``cryptography``), so a database dump or backup alone does not reveal a single number.
Exact search never decrypts: ``Person.id_number_digest`` is HMAC-SHA256 of the canonical number
under ``PII_HASH_KEY``, a key of its own (``id_digest`` below). Asking the database to compare
``id_number`` with a value is refused, because a fresh token never equals a stored one.

``settings.ID_NUMBER_KEYS`` lists Fernet keys, newest first (MultiFernet): the first encrypts, any
decrypts. Rotation: put a new key in front, run ``manage.py rotate_id_keys`` (re-encrypts every row
under the new key), check ``rotate_id_keys --check`` reports none left under older keys, then remove
the old key. A row that no listed key opens raises ``UndecryptableIdNumber`` instead of being shown
wrongly.
"""

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models, transaction
from django.db.models.lookups import Exact, IsNull

from cases.idnumbers import normalise

# Every Fernet token starts with version byte 0x80 and a 64-bit timestamp whose top bytes are zero
# until the year 2106, so its base64 begins like this; an 18-character ID number never does.
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 (not a secret)
BATCH = 2000


class UndecryptableIdNumber(RuntimeError):
    """A stored ID number that none of ID_NUMBER_KEY opens (a key removed before rotation ended)."""


@functools.lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.ID_NUMBER_KEYS))


def is_token(stored: str) -> bool:
    return stored.startswith(TOKEN_PREFIX)


def encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt(stored: str) -> str:
    """The number in a stored value. A value that is not a token is a legacy plaintext row (written
    before migration 0013, or by a raw bulk load) and is returned as it is; rotate_id_keys
    encrypts such rows and its --check counts them."""
    if not stored or not is_token(stored):
        return stored
    try:
        return fernet().decrypt(stored.encode()).decode()
    except InvalidToken:
        raise UndecryptableIdNumber(
            "an ID number cannot be decrypted with ID_NUMBER_KEY: was a key removed before "
            "rotate_id_keys finished?"
        ) from None


def rotate(stored: str) -> str:
    """The stored value re-encrypted under the first key (a plaintext row gets encrypted)."""
    if not stored:
        return stored
    if not is_token(stored):
        return encrypt(stored)
    try:
        return fernet().rotate(stored.encode()).decode()
    except InvalidToken:
        raise UndecryptableIdNumber("an ID number cannot be decrypted with ID_NUMBER_KEY") from None


def classify(stored: str) -> str:
    """'plaintext', 'current' (opens with the first key), 'older' (needs a later key) or 'unreadable'."""
    if not is_token(stored):
        return "plaintext"
    keys = settings.ID_NUMBER_KEYS
    for position, key in enumerate(keys):
        try:
            Fernet(key).decrypt(stored.encode())
        except InvalidToken:
            continue
        return "current" if position == 0 else "older"
    return "unreadable"


SELECT_BATCH = "SELECT id, id_number FROM cases_person WHERE id > %s AND id_number <> '' ORDER BY id LIMIT %s"
UPDATE_PG = (
    "UPDATE cases_person AS p SET id_number = v.value FROM unnest(%s::bigint[], %s::text[]) AS v(id, value) "
    "WHERE p.id = v.id"
)
UPDATE_ONE = "UPDATE cases_person SET id_number = %s WHERE id = %s"


def rewrite_column(transform, connection) -> int:
    """Apply ``transform`` to every stored ID number, in keyset batches, each batch in its own
    transaction with its rows locked (an edit made meanwhile is not overwritten by a stale value);
    return how many rows changed. Stopping half-way is harmless: every value stays readable with the
    key list, and a re-run finishes."""
    changed, last = 0, 0
    postgres = connection.vendor == "postgresql"
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cur:
            cur.execute(SELECT_BATCH + (" FOR UPDATE" if postgres else ""), [last, BATCH])
            rows = cur.fetchall()
            if not rows:
                return changed
            last = rows[-1][0]
            updates = [(pk, new) for pk, old in rows if (new := transform(old)) != old]
            if updates and postgres:
                cur.execute(UPDATE_PG, [[pk for pk, _ in updates], [value for _, value in updates]])
            elif updates:
                cur.executemany(UPDATE_ONE, [(value, pk) for pk, value in updates])
            changed += len(updates)


class _EmptyOnlyExact(Exact):
    """``id_number=""`` (has none) is fine; any other value cannot match a token: refuse loudly."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise TypeError(
                "ID numbers are stored encrypted: search by Person.id_number_digest (cases.people)"
            )
        return super().get_prep_lookup()


class EncryptedIdNumberField(models.CharField):
    """The canonical ID number in Python, a Fernet token in the column (cases.idcrypt)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 160)  # a token for 18 characters is 120
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None  # contains, startswith, in…: Django answers "Unsupported lookup"

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": 18, **kwargs})


def id_digest(id_number: str) -> str:
    """Keyed hash of a canonical ID number: exact search without storing a searchable plaintext."""
    key = settings.PII_HASH_KEY.encode()
    return hmac.new(key, normalise(id_number).encode(), hashlib.sha256).hexdigest()
