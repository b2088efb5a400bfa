"""Publication of sanction decisions (art. 9 of the 2024 law) as pure functions of dated facts.

No database and no Flask: the pages, the open data and the job that records publication events
all ask these functions about the same facts, so every app process gives the same answer.

- Not earlier than two weeks after the day the decision was made known: the two weeks run from
  the day after that day (as an objection term does, Awb 6:8) and end with the fourteenth day;
  publication starts at midnight after it, Europe/Amsterdam. Made known on Monday 2 March 2026,
  it is published from Tuesday 17 March 2026, 00:00. The Algemene termijnenwet does not move
  it: it is a term the authority waits out, not one within which anyone must act (Atw art. 1).
  Legal staff confirm this reading; it lives in ``earliest_publication`` alone.
- Not while a request for interim relief is pending; a relief granted keeps it off.
- Taken down when the decision is revoked or annulled; an entry that was published stays in the
  open data as withdrawn.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from enforcement.core.time import LOCAL_TZ

WAIT_DAYS = 14


class PublicationStatus(StrEnum):
    WAITING = "waiting"  # the two weeks have not passed
    SUSPENDED = "suspended"  # interim relief pending, or granted
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"  # was published, then revoked or annulled
    NEVER = "never"  # revoked or annulled before it was ever published


class LegalStatus(StrEnum):
    """Whether objection or appeal is possible, pending or decided (art. 9 says which)."""

    OBJECTION_POSSIBLE = "objection_possible"
    OBJECTION_PENDING = "objection_pending"
    NO_OBJECTION = "no_objection"  # the objection term passed without one
    OBJECTION_WITHDRAWN = "objection_withdrawn"
    APPEAL_POSSIBLE = "appeal_possible"  # objection decided, no appeal recorded
    APPEAL_PENDING = "appeal_pending"
    APPEAL_DISMISSED = "appeal_dismissed"
    APPEAL_WITHDRAWN = "appeal_withdrawn"
    REVOKED = "revoked"
    ANNULLED = "annulled"


@dataclass(frozen=True)
class Relief:
    requested_at: datetime
    outcome: str  # pending, granted, refused, withdrawn
    decided_at: datetime | None = None

    def blocks(self, moment: datetime) -> bool:
        """Return whether this request keeps the decision unpublished at ``moment``."""
        if moment < self.requested_at:
            return False
        if self.decided_at is None or moment < self.decided_at:
            return True
        return self.outcome == "granted"


@dataclass(frozen=True)
class Objected:
    received_on: date
    outcome: str  # pending, upheld, rejected, inadmissible, withdrawn


@dataclass(frozen=True)
class Appealed:
    lodged_on: date
    outcome: str  # pending, annulled, dismissed, withdrawn
    decided_at: datetime | None = None


@dataclass(frozen=True)
class DecisionFacts:
    """What art. 9 publication depends on, each fact with its date."""

    made_known_at: datetime
    objection_term_ends: date
    revoked_at: datetime | None = None
    reliefs: tuple[Relief, ...] = ()
    objections: tuple[Objected, ...] = ()
    appeals: tuple[Appealed, ...] = ()

    @property
    def annulled_at(self) -> datetime | None:
        return min((a.decided_at for a in self.appeals if a.outcome == "annulled"), default=None)

    @property
    def withdrawn_at(self) -> datetime | None:
        """When the decision stopped standing: revoked on objection or annulled by the court."""
        moments = [m for m in (self.revoked_at, self.annulled_at) if m is not None]
        return min(moments, default=None)


@dataclass(frozen=True)
class Publication:
    status: PublicationStatus
    published_at: datetime | None  # when it first went (or would go) up
    withdrawn_at: datetime | None


def earliest_publication(made_known_at: datetime) -> datetime:
    """Return the first moment art. 9 allows publication: midnight after the fourteenth day
    following the day the decision was made known (Europe/Amsterdam)."""
    day = made_known_at.astimezone(LOCAL_TZ).date() + timedelta(days=WAIT_DAYS + 1)
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ)


def first_unblocked(facts: DecisionFacts) -> datetime | None:
    """Return the first moment from the earliest one at which no relief request blocks, or None
    while one blocks for good (pending or granted)."""
    moment = earliest_publication(facts.made_known_at)
    moved = True
    while moved:
        moved = False
        for relief in facts.reliefs:
            if relief.blocks(moment):
                if relief.decided_at is None or relief.outcome == "granted":
                    return None
                moment, moved = relief.decided_at, True
    return moment


def publication(facts: DecisionFacts, now: datetime) -> Publication:
    """Return whether and since when the decision is published as of ``now``."""
    start, gone = first_unblocked(facts), facts.withdrawn_at
    was_up = start is not None and (gone is None or start < gone)
    if gone is not None and gone <= now:
        status = PublicationStatus.WITHDRAWN if was_up and start <= now else PublicationStatus.NEVER
        return Publication(status, start if status == PublicationStatus.WITHDRAWN else None, gone)
    if now < earliest_publication(facts.made_known_at):
        return Publication(PublicationStatus.WAITING, None, None)
    if any(relief.blocks(now) for relief in facts.reliefs):
        return Publication(PublicationStatus.SUSPENDED, None, None)
    # Published now; since the first moment no relief blocked it (a later request that blocked
    # it for a while and was refused does not reset that).
    return Publication(PublicationStatus.PUBLISHED, start, None)


def legal_status(facts: DecisionFacts, now: datetime) -> LegalStatus:
    """Return whether objection or appeal is possible, pending or decided, as of ``now``."""
    gone = facts.withdrawn_at
    if gone is not None and gone <= now:
        return LegalStatus.ANNULLED if gone == facts.annulled_at else LegalStatus.REVOKED
    today = now.astimezone(LOCAL_TZ).date()
    appeals = [a for a in facts.appeals if a.lodged_on <= today]
    if appeals:
        latest = max(appeals, key=lambda a: a.lodged_on)
        if latest.decided_at is None or latest.decided_at > now:
            return LegalStatus.APPEAL_PENDING
        return LegalStatus(f"appeal_{latest.outcome}")
    objections = [o for o in facts.objections if o.received_on <= today]
    if any(o.outcome == "pending" for o in objections):
        return LegalStatus.OBJECTION_PENDING
    if any(o.outcome in ("rejected", "inadmissible") for o in objections):
        return LegalStatus.APPEAL_POSSIBLE
    if today <= facts.objection_term_ends:
        return LegalStatus.OBJECTION_POSSIBLE
    return LegalStatus.OBJECTION_WITHDRAWN if objections else LegalStatus.NO_OBJECTION
