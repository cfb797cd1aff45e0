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
