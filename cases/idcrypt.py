"""ID numbers at rest: encrypted with keys from the environment, searched by a keyed hash.

``CaseParty.id_number`` (the number as given on a case) is an ``EncryptedIdNumberField``: Python code
reads and writes the canonical number as before, the column holds a Fernet token (AES-128-CBC with
HMAC-SHA256, random IV, from the pinned ``cryptography``), so a database dump or backup alone does
not reveal a single number. Exact search never decrypts: ``id_number_digest`` (on the party and on
the register's ``Person``) is HMAC-SHA256 of the canonical number under ``PII_HASH_KEY``, a key of
its own (``id_digest`` below); until migration cases/0027 the numbers were on ``Person``.
Asking the database to compare ``id_number`` with a value is refused, because a fresh token never
equals a stored one.

``settings.ID_NUMBER_KEYS`` lists Fernet keys, newest first (MultiFernet): the first encrypts, any
decrypts. Rotation: put a new key in front, run ``manage.py rotate_id_keys`` (re-encrypts every row
under the new key), check ``rotate_id_keys --check`` reports none left under older keys, then remove
the old key. A row that no listed key opens raises ``UndecryptableIdNumber`` instead of being shown
wrongly.
"""

import functools
import hashlib
import hmac
import unicodedata

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models, transaction
from django.db.models.lookups import Exact, IsNull

from cases.idnumbers import canonical_phone, normalise

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


# The table whose ``id_number`` column holds the tokens; migration cases/0013 rewrote the register's
# (cases_person), which held them until cases/0027. Per table: select a batch, update on PostgreSQL,
# update one row elsewhere, select every value (written out: no SQL is built from strings).
ID_NUMBER_TABLE = "cases_caseparty"
STATEMENTS = {
    "cases_caseparty": (
        "SELECT id, id_number FROM cases_caseparty WHERE id > %s AND id_number <> '' ORDER BY id LIMIT %s",
        "UPDATE cases_caseparty AS p SET id_number = v.value "
        "FROM unnest(%s::bigint[], %s::text[]) AS v(id, value) WHERE p.id = v.id",
        "UPDATE cases_caseparty SET id_number = %s WHERE id = %s",
        "SELECT id_number FROM cases_caseparty WHERE id_number <> ''",
    ),
    "cases_person": (
        "SELECT id, id_number FROM cases_person WHERE id > %s AND id_number <> '' ORDER BY id LIMIT %s",
        "UPDATE cases_person AS p SET id_number = v.value "
        "FROM unnest(%s::bigint[], %s::text[]) AS v(id, value) WHERE p.id = v.id",
        "UPDATE cases_person SET id_number = %s WHERE id = %s",
        "SELECT id_number FROM cases_person WHERE id_number <> ''",
    ),
}
SELECT_ALL = STATEMENTS[ID_NUMBER_TABLE][3]


def rewrite_column(transform, connection, table: str = ID_NUMBER_TABLE) -> int:
    """Apply ``transform`` to every stored ID number, in keyset batches, each batch in its own
    transaction with its rows locked (an edit made meanwhile is not overwritten by a stale value);
    return how many rows changed. Stopping half-way is harmless: every value stays readable with the
    key list, and a re-run finishes. ``table`` is a constant of the code (an older migration's)."""
    changed, last = 0, 0
    postgres = connection.vendor == "postgresql"
    select, update_pg, update_one, _all = STATEMENTS[table]
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cur:
            cur.execute(select + (" FOR UPDATE" if postgres else ""), [last, BATCH])
            rows = cur.fetchall()
            if not rows:
                return changed
            last = rows[-1][0]
            updates = [(pk, new) for pk, old in rows if (new := transform(old)) != old]
            if updates and postgres:
                cur.execute(update_pg, [[pk for pk, _ in updates], [value for _, value in updates]])
            elif updates:
                cur.executemany(update_one, [(value, pk) for pk, value in updates])
            changed += len(updates)


class _EmptyOnlyExact(Exact):
    """``id_number=""`` (has none) is fine; any other value cannot match a token: refuse loudly."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise TypeError(
                "ID numbers are stored encrypted: search by id_number_digest (cases.people.id_digest)"
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


def _hmac(text: str) -> str:
    return hmac.new(settings.PII_HASH_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def id_digest(id_number: str) -> str:
    """Keyed hash of a canonical ID number: exact search without storing a searchable plaintext."""
    return _hmac(normalise(id_number))


def normalise_name(name: str) -> str:
    """A name as compared: NFKC, runs of white space as one space, none at the ends."""
    return " ".join(unicodedata.normalize("NFKC", name or "").split())


def name_phone_digest(name: str, phone: str) -> str:
    """Keyed hash of a name and a phone together ("" unless both are given). The prefix keeps it
    apart from every ID-number digest."""
    name, phone = normalise_name(name), canonical_phone(phone)
    if not (name and phone):
        return ""
    return _hmac(f"name+phone\x1f{name}\x1f{phone}")


def phone_digest(phone: str) -> str:
    """Keyed hash of a phone number's digits (``canonical_phone``), for the search by a whole phone
    number ("" for no phone). The prefix keeps it apart from the other digests."""
    digits = canonical_phone(phone)
    if not digits:
        return ""
    return _hmac(f"phone\x1f{digits}")
