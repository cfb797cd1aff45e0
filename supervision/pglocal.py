"""PostgreSQL settings for one transaction (``set_config(name, value, is_local => true)``): a
statement whose row estimates are far off gets the settings it needs without changing them for the
connection, which Celery and the web server keep open and reuse."""


def current(cur, names) -> dict[str, str]:
    cur.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), list(names))
    return dict(zip(names, cur.fetchone(), strict=True))


def set_local(cur, settings: dict[str, str]) -> None:
    """Until the end of the current transaction (call inside one)."""
    pairs = [part for item in settings.items() for part in item]
    cur.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(settings)), pairs)


def swap(cur, settings: dict[str, str]) -> dict[str, str]:
    """Set ``settings`` until the end of the current transaction (call inside one) and return the
    values they replace, in one statement; swap those back for what follows in the same transaction.
    A transaction that fails rolls the change back with it. Transaction-local, so a pooler that
    hands each transaction to another server session (PgBouncer) never passes it on."""
    names = list(settings)
    cur.execute(
        "SELECT " + ", ".join(["current_setting(%s), set_config(%s, %s, true)"] * len(names)),
        [part for name in names for part in (name, name, settings[name])],
    )
    row = cur.fetchone()
    return {name: row[2 * i] for i, name in enumerate(names)}
