"""Who must act within a deadline when it is not the unit that handles the case, as the case type
says, registered from its ``ready()`` (supervision, which addresses the reminders, imports no case
type; docs/architecture.md, layers).

A dispute routed to an industry committee, a court or a department (多元化解) stays handled by the
village committee, but the route's limit is the receiving unit's to meet: mediation registers the
route's rule codes with a function of case ids that answers, for the cases whose route is still
out, the receiving unit's id. A case the function leaves out is addressed as any other.

``owners(case ids)`` is called for a whole delivery batch: it must answer in a fixed number of
queries (one), never one per case.
"""

from collections.abc import Callable, Iterable

# rule code -> owners(case ids) -> {case id: unit id}
_OWNERS: dict[str, Callable[[list[int]], dict[int, int]]] = {}


def register_deadline_owner(codes: Iterable[str], owners: Callable[[list[int]], dict[int, int]]) -> None:
    """``owners(case ids)`` names the unit that must act within the deadlines of rule ``codes``."""
    for code in codes:
        _OWNERS[code] = owners


def owned_codes() -> frozenset[str]:
    """The rule codes whose deadlines a case type may give to another unit than the handling one."""
    return frozenset(_OWNERS)


def deadline_owners(asked: dict[str, Iterable[int]]) -> dict[tuple[str, int], int]:
    """``asked``: rule code -> case ids with a deadline of that rule. Answers (code, case id) -> the
    unit that must act, for the pairs a case type names; each registered function is called once,
    with every case id asked under any of its codes."""
    by_function: dict[Callable, tuple[set[str], set[int]]] = {}
    for code, case_ids in asked.items():
        owners = _OWNERS.get(code)
        if owners is None:
            continue
        codes, ids = by_function.setdefault(owners, (set(), set()))
        codes.add(code)
        ids.update(case_ids)
    found: dict[tuple[str, int], int] = {}
    for owners, (codes, ids) in by_function.items():
        units = owners(sorted(ids))
        for code in codes:
            found.update(((code, pk), units[pk]) for pk in asked[code] if units.get(pk) is not None)
    return found
