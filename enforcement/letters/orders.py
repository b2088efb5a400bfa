"""The letter of a removal order (bevel, art. 6 of the 2024 law): gather, draft, issue, discard.

A removal order is drafted by an officer and issued by legal staff, without four eyes: it is
urgent. Issuing gathers the order again dated the moment of issue, gives its letter the next
kenmerk from the one register (which becomes the order's reference) and freezes the PDF. This is
the one letter that lists URLs: it goes to the hoster only. The data it lists is also embedded
as ``removal-order-items.csv`` (enforcement.letters.context.evidence_files).
"""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.cases.models import Case
from enforcement.core.errors import DomainError, PermissionDenied
from enforcement.core.time import utcnow
from enforcement.holidays.services import extra_holidays
from enforcement.hosters.models import Hoster
from enforcement.letters.builders import remedy
from enforcement.letters.context import (
    REMOVAL_ORDER_KIND,
    addressee,
    ensure_plain,
    letter_header,
    plain,
)
from enforcement.letters.models import Letter
from enforcement.letters.numbering import DEFAULT_KENMERK_PREFIX
from enforcement.letters.services import create_draft, issue_letter, lock_draft, update_draft
from enforcement.orders import services as orders
from enforcement.orders.models import RemovalOrder

KIND = REMOVAL_ORDER_KIND


def order_facts(order: RemovalOrder) -> dict[str, Any]:
    """Return what the letter states of an order and its items, as plain values."""
    return plain({
        "id": order.id,
        "term_hours": order.term_hours,
        "reasons": order.reasons,
        "urgency_ground": order.urgency_ground,
        "items": [
            {"position": position, "notice_reference": item.notice.external_id,
             "source": item.notice.source.name, "notified_at": item.notice.notice_sent_at,
             "content_hash": item.content_hash, "url": item.url, "ip": item.ip}
            for position, item in enumerate(order.items, start=1)
        ],
    })  # fmt: skip


def removal_order_context(
    hoster: Any,
    case_id: int | None,
    facts: dict[str, Any],
    *,
    language: str,
    letter_date: date | datetime,
    kenmerk: str | None,
    holidays: frozenset[date] = frozenset(),
) -> dict[str, Any]:
    """Build the order's letter from its facts (pure): the data, the term, basis and remedy."""
    context = {
        **letter_header(KIND, language, letter_date, kenmerk),
        "addressee": addressee(hoster),
        "case": {"id": case_id},
        "order": {key: facts[key] for key in ("term_hours", "reasons", "urgency_ground")},
        "items": facts["items"],
        "remedy": remedy(letter_date, holidays),
        "source": {"order_id": facts["id"]},
    }
    return ensure_plain(context)


def order_context(session: Session, order: RemovalOrder, *, letter_date: datetime) -> dict:
    """Gather an order's letter from the database, dated ``letter_date``."""
    return removal_order_context(
        order.hoster,
        order.case_id,
        order_facts(order),
        language=order.hoster.language.value,
        letter_date=letter_date,
        kenmerk=None,
        holidays=extra_holidays(session),
    )


def draft_removal_order(
    session: Session,
    hoster: Hoster,
    notice_ids: list[int],
    *,
    actor: User,
    term_hours: int,
    reasons: str = "",
    now: datetime | None = None,
) -> RemovalOrder:
    """Draft an order for some of a hoster's still-online notices, with its letter."""
    now = now or utcnow()
    order = orders.draft_order(session, hoster, notice_ids, actor=actor, term_hours=term_hours,
                               reasons=reasons, now=now)  # fmt: skip
    case = session.get(Case, order.case_id) if order.case_id else None
    context = order_context(session, order, letter_date=now)
    letter = create_draft(session, case, context, actor=actor, hoster=hoster, now=now)
    order.letter_id = letter.id
    session.flush()
    return order


def issue_removal_order(
    session: Session,
    order: RemovalOrder,
    *,
    actor: User,
    now: datetime | None = None,
    prefix: str = DEFAULT_KENMERK_PREFIX,
    signatory: Mapping[str, str] | None = None,
) -> Letter:
    """Issue a draft order: its letter, dated ``now``, gets the next kenmerk, which becomes the
    order's reference. Everything rolls back with the caller's transaction on a refusal."""
    now = now or utcnow()
    orders.require_draft(order)
    letter = order.letter
    if letter is None:
        raise DomainError("This order has no letter to issue.")
    lock_draft(session, letter)
    orders.refuse_offline_items(order)  # before rendering: a refusal costs nothing
    update_draft(session, letter, order_context(session, order, letter_date=now), actor=actor)
    issue_letter(session, letter, actor=actor, now=now, prefix=prefix, signatory=signatory)
    orders.mark_issued(session, order, reference=letter.kenmerk, actor=actor, now=now)
    return letter


def refresh_order_letter(session: Session, order: RemovalOrder, *, actor: User) -> Letter:
    """Gather a draft order's letter again (after its items changed), dated now."""
    orders.require_draft(order)
    context = order_context(session, order, letter_date=utcnow())
    return update_draft(session, order.letter, context, actor=actor)


def discard_removal_order(session: Session, order: RemovalOrder, *, actor: User) -> None:
    """Discard a draft order and its draft letter; nothing of it was sent."""
    orders.require_draft(order)
    if actor.role not in orders.DRAFTERS:
        raise PermissionDenied("Your role may not discard removal orders.")
    letter = order.letter
    session.delete(order)
    if letter is not None:
        session.delete(letter)
    session.flush()


def order_of_letter(session: Session, letter: Letter) -> RemovalOrder | None:
    """Return the removal order a letter belongs to, if it is one's letter."""
    return session.scalar(sa.select(RemovalOrder).where(RemovalOrder.letter_id == letter.id))
