"""What the demo workspace holds: Northwind Cycles, a small bike shop with a web shop and a workshop.

Everything here is invented. The calls are synthesised with espeak-ng by ``make_demo.py``; the
sessions are built through ``listen.session.service`` so they obey the same rules as real ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TODAY = "2026-11-23"  # the demo's "now": a Monday; the last session was a week before

MEMBERS = (
    ("Marta Novak", "owner"),
    ("Ana Ruiz", "support"),
    ("Sam Okafor", "support"),
    ("Leo Berg", "workshop"),
    ("Priya Shah", "web shop"),
)
VOCABULARY = ("Northwind", "Northwind Cycles", "Voltra", "RideLink", "Ana", "Marta", "Priya")

AGENT_VOICE = {"Ana Ruiz": "en-us+f3", "Sam Okafor": "en-us+m3", "Leo Berg": "en-us+m1"}


@dataclass(frozen=True)
class Call:
    key: str
    title: str
    rep: str
    customer_voice: str
    lines: tuple[tuple[str, str], ...]  # ("agent" | "customer", text)
    stereo: bool = False  # agent on the left channel, customer on the right
    needed: str = ""
    hard: str = ""
    workaround: str = ""
    helped: str = "partly"
    note: str = ""


CALLS: tuple[Call, ...] = (
    Call(
        key="helmet",
        title="Cracked helmet, refund on hold",
        rep="Ana Ruiz",
        customer_voice="en-us+m7",
        stereo=True,
        lines=(
            ("agent", "Thank you for calling Northwind Cycles. This is Ana. How can I help you today?"),
            (
                "customer",
                "Hi. I ordered a helmet from your web shop and it arrived with a crack down the side.",
            ),
            ("agent", "I am so sorry. That should never happen. Can I have your order number?"),
            ("customer", "It is four four eight one. I would like my money back, please, not a new one."),
            (
                "agent",
                "I can see it. I cannot give you a refund myself. "
                "Every refund needs a manager to approve it.",
            ),
            ("customer", "How long does that take?"),
            ("agent", "Marta is away at a trade fair until Thursday, so probably Friday."),
            ("customer", "So I wait a week for money on a broken helmet. That is not great."),
            ("agent", "I understand. I will write a note so she sees it first thing. You will get an email."),
        ),
        needed="A refund for a helmet that arrived cracked.",
        hard="Only a manager can approve a refund, and the manager was away until Thursday.",
        workaround="Left a note for Marta and promised an email.",
        helped="partly",
    ),
    Call(
        key="order",
        title="Where is my order? (web order not in the till)",
        rep="Sam Okafor",
        customer_voice="en-us+f5",
        lines=(
            ("agent", "Good morning, Northwind Cycles, Sam speaking."),
            (
                "customer",
                "Hello. I ordered a rear light and two inner tubes online last Tuesday. Nothing has arrived.",
            ),
            ("agent", "Let me look. Do you have the order number?"),
            ("customer", "No, I deleted the email. Can you not look me up by name?"),
            (
                "agent",
                "Our till in the shop only shows shop orders. Online orders are in a different system.",
            ),
            ("agent", "I do not have a login for it. I will have to ask Priya and call you back."),
            ("customer", "I have called twice already. Every time someone says they will call back."),
            ("agent", "I am sorry. I will write down your number and ask Priya right now."),
        ),
        needed="To know where a web order was.",
        hard="The till cannot see web shop orders and support has no login to the web shop admin.",
        workaround="Asked Priya to look it up and called the customer back an hour later.",
        helped="partly",
    ),
    Call(
        key="pairing",
        title="Voltra electric bike will not pair with the RideLink app",
        rep="Leo Berg",
        customer_voice="en-us+m2",
        lines=(
            ("agent", "Workshop, Leo speaking."),
            (
                "customer",
                "Hello. On Saturday I bought a new Voltra electric bike. The RideLink app cannot find it.",
            ),
            ("customer", "The guide says hold the power button for five seconds. I did that ten times."),
            (
                "agent",
                "Ah, yes. First you have to switch on Bluetooth in the display menu. "
                "It is off from the factory.",
            ),
            ("customer", "That is not in the guide at all."),
            ("agent", "No, it is not. Press the mode button three times, then choose Bluetooth, then on."),
            ("customer", "Okay. It found the bicycle. Thank you. The guide should say that."),
        ),
        needed="To pair a new e-bike with its app.",
        hard="The printed quick start guide leaves out the Bluetooth menu step.",
        workaround="Talked the customer through the display menu.",
        helped="yes",
    ),
    Call(
        key="booking",
        title="Service booking vanished, deposit refund",
        rep="Ana Ruiz",
        customer_voice="en-us",
        lines=(
            ("agent", "Northwind Cycles, Ana speaking."),
            ("customer", "I booked a full service online for this morning and paid a twenty pound deposit."),
            ("customer", "I came in with my bike and the workshop had no booking for me."),
            (
                "agent",
                "I am sorry. Online bookings go to an email inbox, "
                "and someone copies them into the workshop diary.",
            ),
            ("agent", "It looks like yours was never copied over."),
            ("customer", "I took the morning off for this. I want the deposit back."),
            ("agent", "Of course. I need a manager to approve the refund, so I will ask Marta today."),
        ),
        needed="The service they booked, or their deposit back.",
        hard="Web bookings are copied into the workshop diary by hand; refunds need a manager.",
        workaround="Booked a new slot for Thursday and asked Marta to approve the deposit refund.",
        helped="partly",
    ),
    Call(
        key="tubeless",
        title="Tubeless conversion price differs from the website",
        rep="Sam Okafor",
        customer_voice="en-us+f5",
        lines=(
            ("customer", "Hi. Your website says a tubeless conversion is forty five pounds."),
            ("customer", "The workshop just told me sixty. Which one is it?"),
            ("agent", "Let me check. The workshop price list was updated in October."),
            ("agent", "The website still shows the old price. I will honour forty five for you today."),
            ("customer", "Thanks. You might want to fix the website."),
        ),
        needed="A clear price for a tubeless conversion.",
        hard="The website price list and the workshop price list are kept separately.",
        workaround="Honoured the lower website price.",
        helped="yes",
    ),
)

EMAIL = (
    "refund-gloves.eml",
    """From: Jo Harper <jo.harper@example.com>
To: help@northwindcycles.example
Subject: Still waiting for my refund
Date: Thu, 12 Nov 2026 09:14:00 +0000
Content-Type: text/plain; charset=utf-8

Hello Northwind,

I returned a pair of winter gloves (wrong size) two weeks ago. Your shop confirmed they arrived
on the 3rd, and the person on the phone said the refund just needed a manager to sign it off.

It is now the 12th and I have heard nothing. Could someone tell me when the money will be back
on my card? I have bought from you for years and would like to keep doing so.

Thanks,
Jo
""",
)
EMAIL_VIEW = {
    "needed": "The refund for returned gloves.",
    "hard": "The refund sat in the manager's queue for nine days; nobody could see where it was.",
    "workaround": "Chased Marta by text; refund went out the same day.",
    "helped": "yes",
}

CHATS = (
    (
        "chat-gloves-return.txt",
        "Chat: returned gloves, refund waiting",
        "Customer: Hi, I sent back gloves last week, when do I get my refund?\n\n"
        "Agent: The return has arrived. A manager has to approve the refund, I have asked.\n\n"
        "Customer: Ok, how long is that usually?\n\n"
        "Agent: Normally a few days, but I cannot promise a date, sorry.",
    ),
    (
        "chat-scratched-bell.txt",
        "Chat: scratched bell, five pound refund",
        "Customer: My new bell arrived scratched. Can I just get the 5 pounds back?\n\n"
        "Agent: I am sorry about that. Even small refunds need a manager, so it will take a day or two.\n\n"
        "Customer: For five pounds? Ok then. Also the tracking link in your email stopped working "
        "before the parcel came.\n\n"
        "Agent: Sorry, the courier links only last a week. I can send you the delivery photo.",
    ),
)


@dataclass(frozen=True)
class PastSession:
    date: str
    facilitator: str
    attendees: tuple[str, ...]
    clips: tuple[str, ...]  # call keys or chat file names
    story: dict[str, str] = field(default_factory=dict)
    minutes: dict[str, float] = field(default_factory=dict)  # step id -> minutes spent


SESSIONS = (
    PastSession(
        date="2026-11-02",
        facilitator="Marta Novak",
        attendees=("Ana Ruiz", "Sam Okafor", "Leo Berg"),
        clips=("chat-gloves-return.txt",),
        story={
            "Marta Novak": "We fix your bike the same week and we know every customer by name.",
            "Ana Ruiz": "Friendly local shop; we remember you and your bike.",
            "Sam Okafor": "Cheapest prices in town for parts.",
            "Leo Berg": "A workshop that fixes bikes fast, same week, and explains what it did.",
        },
        minutes={
            "stage": 4,
            "follow-up": 1,
            "listen": 9,
            "ideas": 6,
            "decide": 5,
            "commit": 3,
            "story": 6,
            "close": 1,
        },
    ),
    PastSession(
        date="2026-11-09",
        facilitator="Ana Ruiz",
        attendees=("Marta Novak", "Sam Okafor", "Priya Shah"),
        clips=("chat-scratched-bell.txt",),
        minutes={"stage": 3, "follow-up": 4, "listen": 8, "ideas": 7, "decide": 6, "commit": 4, "close": 1},
    ),
    PastSession(
        date="2026-11-16",
        facilitator="Marta Novak",
        attendees=("Ana Ruiz", "Sam Okafor", "Leo Berg", "Priya Shah"),
        clips=("helmet", "refund-gloves.eml"),
        story={
            "Marta Novak": "We fix your bike the same week, and we know every customer by name.",
            "Ana Ruiz": "A friendly local shop that knows you and fixes your bike within the week.",
            "Sam Okafor": "We know our customers by name and get bikes fixed the same week.",
            "Leo Berg": "Same-week repairs, explained in plain words by people who know you.",
            "Priya Shah": "Good bikes online, delivered fast, with a real shop behind them.",
        },
        minutes={
            "stage": 5,
            "follow-up": 6,
            "listen:helmet": 9,
            "listen:refund-gloves.eml": 7,
            "ideas": 10,
            "decide": 9,
            "commit": 5,
            "story": 6,
            "close": 2,
        },
    ),
)
