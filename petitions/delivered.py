"""Which written documents are delivered (送达) now, read from the case's timeline: the petition page,
the delivery form and the review path's checks ask this one function.

A document counts as delivered when a delivery of it was recorded after the step that last made it.
Most documents are made once; the review opinions and the redone opinion are made again when the
path goes round again (a redone opinion after a revocation is reviewed anew, 信访工作条例 §35,
petitions.redo), and each new one is delivered, and opens its window, on its own.
"""

import datetime

from cases.transitions import makers
from petitions.models import Delivery

RECORD_DELIVERY = "record_delivery"


def delivered(p) -> dict[str, Delivery]:
    """The delivery in force of each document, by slug (reads ``p.timeline.all()``: the page's
    prefetch serves it; the delivery step writes what it recorded into its entry)."""
    making = makers(p)
    found = {}
    for entry in p.timeline.all():
        for slug in making.get(entry.action, ()):
            found.pop(slug, None)  # made (again): not delivered until its own delivery
        if entry.action == RECORD_DELIVERY and entry.after.get("document"):
            after = entry.after
            found[after["document"]] = Delivery(
                document=after["document"],
                method=after.get("method", ""),
                recipient=after.get("recipient", ""),
                delivered_on=datetime.date.fromisoformat(after["delivered_on"]),
            )
    return found
