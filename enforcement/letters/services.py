"""Letter operations: draft, preview, issue (legal staff, with a kenmerk), verify the register.

Each operation works in the caller's transaction and flushes; the caller commits once. The
letter of a step is drafted and issued through enforcement.casework.operations, which completes the
step when its letter is issued.
"""

import copy
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer
from sqlalchemy.orm.exc import StaleDataError

from enforcement.auth.models import Role, User
from enforcement.cases.models import Case, PendingStep
from enforcement.core import sealing
from enforcement.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from enforcement.core.time import to_local, utcnow
from enforcement.hosters.models import Hoster, Language
from enforcement.letters.context import ensure_plain, evidence_files
from enforcement.letters.models import KenmerkCounter, Letter, LetterStatus, LetterTemplate
from enforcement.letters.numbering import DEFAULT_KENMERK_PREFIX, insert_if_absent, next_kenmerk
from enforcement.letters.render import (
    LetterRenderError,
    Snapshot,
    render_pdf,
    render_snapshot,
    sha256_hex,
    template_name,
    template_source,
)

DRAFTERS = frozenset({Role.OFFICER, Role.LEGAL})
# How the databases report a second letter for one pending step.
ONE_LETTER_PER_STEP = ("uq_letters_pending_step_id", "letters.pending_step_id")
EVIDENCE_DESCRIPTIONS = {
    "evidence.json": "All figures and every notice this letter cites (JSON)",
    "evidence.csv": "Every notice or violation this letter cites (CSV)",
    "removal-order-items.csv": "The data this removal order lists: URL, IP, content hash (CSV)",
}


class LetterNotRendered(DomainError):
    """The letter could not be rendered (a template or an asset is wrong)."""

    status_code = 500


def build_pdf(snapshot_text: str, context: dict[str, Any]) -> bytes:
    """Render a letter's PDF from a template snapshot and its context, evidence embedded."""
    html = render_snapshot(snapshot_text, context)
    attachments = [
        (name, data, EVIDENCE_DESCRIPTIONS[name]) for name, data in evidence_files(context)
    ]
    return render_pdf(
        html,
        kenmerk=context["letter"]["kenmerk"] or "DRAFT",
        created=datetime.fromisoformat(context["letter"]["moment"]),
        attachments=attachments,
        assets=Snapshot.from_text(snapshot_text).assets,
    )


def preview_pdf(letter: Letter) -> bytes:
    """Render a letter as it stands from the current templates (a draft shows no kenmerk)."""
    if letter.status == LetterStatus.ISSUED:
        return letter.pdf
    text, _ = template_source(letter.kind, letter.language.value)
    try:
        return build_pdf(text, letter.context)
    except LetterRenderError as exc:
        raise LetterNotRendered(f"The letter could not be rendered: {exc}") from None


def _check_context(kind: str, context: dict[str, Any]) -> dict[str, Any]:
    ensure_plain(context)
    if context.get("kind") != kind:
        raise DomainError(f"The context is for a {context.get('kind')} letter, not {kind}.")
    try:
        template_name(kind, context["language"])
    except LetterRenderError as exc:
        raise DomainError(str(exc)) from None
    context = copy.deepcopy(context)
    context["letter"]["kenmerk"] = None  # a draft has none; issuing gives it
    return context


def create_draft(
    session: Session,
    case: Case | None,
    context: dict[str, Any],
    *,
    actor: User,
    corrects: Letter | None = None,
    pending_step: PendingStep | None = None,
    now: datetime | None = None,
    hoster: Hoster | None = None,
) -> Letter:
    """Add a draft letter for a case (or, without one, to ``hoster``); a correction names the
    issued letter it replaces.

    The letter of a pending step is drafted for whoever decided on the step (a supervisor who
    approved it, say): the step's own rules said who may.
    """
    hoster = hoster if hoster is not None else case.hoster
    if actor.role not in DRAFTERS and pending_step is None:
        raise PermissionDenied("Only enforcement officers and legal staff draft letters.")
    context = _check_context(context.get("kind", ""), context)
    if corrects is not None:
        if corrects.status != LetterStatus.ISSUED or corrects.case_id != (case and case.id):
            raise DomainError("A correction replaces an issued letter of the same case.")
        open_correction = sa.select(Letter.id).where(
            Letter.corrects_letter_id == corrects.id, Letter.status == LetterStatus.DRAFT
        )
        if session.scalar(open_correction) is not None:
            raise Conflict("A correction of this letter is already being drafted; issue or "
                           "discard that one first.")  # fmt: skip
        replaced = corrects.context["letter"]
        context["corrects"] = {"kenmerk": corrects.kenmerk, "date": replaced["date"]}
    letter = Letter(
        hoster_id=hoster.id,
        case_id=case.id if case is not None else None,
        kind=context["kind"],
        language=Language(context["language"]),
        status=LetterStatus.DRAFT,
        context=context,
        created_by_id=actor.id,
        created_at=now or utcnow(),
        corrects_letter_id=corrects.id if corrects else None,
        pending_step_id=pending_step.id if pending_step else None,
    )
    session.add(letter)
    _flush(session)
    return letter


def update_draft(
    session: Session,
    letter: Letter,
    context: dict[str, Any],
    *,
    actor: User,
    pending_step: PendingStep | None = None,
) -> Letter:
    """Replace a draft's context (the data changed); an issued letter stays as it is.

    With ``pending_step`` the draft becomes that step's letter (see ``create_draft``).
    """
    if actor.role not in DRAFTERS and pending_step is None:
        raise PermissionDenied("Only enforcement officers and legal staff draft letters.")
    if letter.status != LetterStatus.DRAFT:
        raise Conflict("This letter was issued; draft a correction instead.")
    context = _check_context(letter.kind, context)
    if context["language"] != letter.language.value:
        raise DomainError("A draft keeps its language; start a new draft for another.")
    context["corrects"] = letter.context.get("corrects")
    letter.context = context
    if pending_step is not None:
        letter.pending_step_id = pending_step.id
    _flush(session)
    return letter


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict("Someone else changed or issued this letter meanwhile.") from None
    except IntegrityError as exc:
        # PostgreSQL names the index; SQLite names its columns.
        if "corrects_letter_id" in str(exc.orig) or "uq_letters_open_correction" in str(exc.orig):
            raise Conflict("A correction of this letter is already being drafted.") from None
        if not any(sign in str(exc.orig) for sign in ONE_LETTER_PER_STEP):
            raise
        raise Conflict("This step already has its letter.") from None


def _snapshot_row(session: Session, kind: str, language: str, now: datetime) -> LetterTemplate:
    """Store the snapshot of the current templates once per hash (two issuers may race)."""
    text, digest = template_source(kind, language)
    insert_if_absent(session, LetterTemplate, "sha256", sha256=digest, source=text, created_at=now)
    return session.get(LetterTemplate, digest)


def lock_draft(session: Session, letter: Letter) -> None:
    """Lock the draft's row: someone issuing it at this moment waits, then sees it issued
    (Conflict, naming the kenmerk it got)."""
    stored = session.execute(
        sa.select(Letter.status, Letter.kenmerk).where(Letter.id == letter.id).with_for_update()
    ).one()
    if letter.status != LetterStatus.DRAFT or stored.status != LetterStatus.DRAFT:
        raise Conflict(f"This letter was already issued as {stored.kenmerk or letter.kenmerk}.")


def issue_letter(
    session: Session,
    letter: Letter,
    *,
    actor: User,
    now: datetime | None = None,
    prefix: str = DEFAULT_KENMERK_PREFIX,
    signatory: Mapping[str, str] | None = None,
) -> Letter:
    """Issue a draft: kenmerk, final PDF, hashes and template snapshot; it never changes again.

    ``signatory`` names, per language, who signs under mandate on behalf of the authority
    (Awb 10:10); the letter states it under the signature.

    ``now`` is the moment of notification (Awb 2:17): the letter is dated by it and the step's
    deadlines count from it. The kenmerk is taken in the caller's transaction, so a rollback
    gives the number back.
    """
    if actor.role != Role.LEGAL:
        raise PermissionDenied("Only legal staff issue letters.")
    lock_draft(session, letter)
    now = now or utcnow()
    template = _snapshot_row(session, letter.kind, letter.language.value, now)
    kenmerk = next_kenmerk(session, to_local(now).year, prefix)
    context = copy.deepcopy(letter.context)
    moment = to_local(now)
    context["letter"] = {"kenmerk": kenmerk, "date": moment.date().isoformat(),
                         "moment": moment.isoformat()}  # fmt: skip
    signed_by = (signatory or {}).get(letter.language.value)
    context["signature"] = {"signatory": signed_by} if signed_by else None
    try:
        pdf = build_pdf(template.source, context)
    except LetterRenderError as exc:
        raise LetterNotRendered(f"The letter could not be rendered: {exc}") from None
    letter.status = LetterStatus.ISSUED
    letter.kenmerk, letter.context, letter.template_sha256 = kenmerk, context, template.sha256
    letter.pdf, letter.pdf_sha256 = pdf, sha256_hex(pdf)
    letter.issued_by_id, letter.issued_at = actor.id, now
    letter.issue_seal = issue_seal(letter) if sealing.is_keyed() else None
    _flush(session)
    return letter


def issue_record(letter: Letter) -> str:
    """Return what an issued letter's seal covers, as canonical JSON."""
    return sealing.canonical({
        "kenmerk": letter.kenmerk, "kind": letter.kind, "case_id": letter.case_id,
        "hoster_id": letter.hoster_id, "pdf_sha256": letter.pdf_sha256,
        "template_sha256": letter.template_sha256, "issued_by_id": letter.issued_by_id,
        "issued_at": letter.issued_at.astimezone(UTC).isoformat(),
        "context_sha256": sha256_hex(sealing.canonical(letter.context).encode()),
    })  # fmt: skip


def issue_seal(letter: Letter) -> str:
    """Return the seal of an issued letter's record under AUDIT_KEY."""
    return sealing.seal(issue_record(letter))


def register_gaps(session: Session) -> list[str]:
    """Return a line per year whose issued kenmerken are not exactly 1 to the counter's last."""
    numbers: dict[int, set[int]] = {}
    for kenmerk in session.scalars(sa.select(Letter.kenmerk).where(Letter.kenmerk.is_not(None))):
        *_, year, number = kenmerk.rsplit("-", 2)
        numbers.setdefault(int(year), set()).add(int(number))
    counters = dict(
        session.execute(sa.select(KenmerkCounter.year, KenmerkCounter.last_value)).all()
    )
    gaps = []
    for year in sorted(set(numbers) | set(counters)):
        last = max(counters.get(year, 0), max(numbers.get(year, {0})))
        missing = sorted(set(range(1, last + 1)) - numbers.get(year, set()))
        if missing:
            shown = ", ".join(str(n) for n in missing[:20]) + (" ..." if len(missing) > 20 else "")
            gaps.append(f"{year}: no issued letter has number(s) {shown}")
    return gaps


@dataclass
class LetterCheck:
    """What verification found wrong with one issued letter."""

    letter_id: int
    kenmerk: str
    problems: list[str] = field(default_factory=list)


def check_letter(letter: Letter) -> LetterCheck:
    """Re-render an issued letter from its stored context and snapshot and compare hashes."""
    check = LetterCheck(letter.id, letter.kenmerk)
    if hashlib.sha256(letter.pdf).hexdigest() != letter.pdf_sha256:
        check.problems.append("the stored PDF does not match its recorded SHA-256")
    if letter.context.get("letter", {}).get("kenmerk") != letter.kenmerk:
        check.problems.append("the stored context names another kenmerk")
    snapshot = letter.template
    if sha256_hex(snapshot.source) != snapshot.sha256:
        check.problems.append("the template snapshot does not match its SHA-256")
    try:
        rendered = sha256_hex(build_pdf(snapshot.source, letter.context))
    except (LetterRenderError, KeyError, ValueError) as exc:
        check.problems.append(f"it cannot be rendered again: {exc}")
    else:
        if rendered != letter.pdf_sha256:
            check.problems.append(f"rendering it again gives a different PDF ({rendered[:12]})")
    if letter.issue_seal is not None and not (
        sealing.is_keyed() and sealing.seal_matches(issue_record(letter), letter.issue_seal)
    ):
        check.problems.append(
            "its issue record (who, when, kenmerk, hashes) does not match its seal"
        )
    return check


def verify_letters(session: Session, kenmerk: str | None = None) -> tuple[int, list[LetterCheck]]:
    """Re-render issued letters (one, or all); return (checked, the letters that differ)."""
    query = sa.select(Letter.id).where(Letter.status == LetterStatus.ISSUED)
    if kenmerk is not None:
        query = query.where(Letter.kenmerk == kenmerk)
    letter_ids = list(session.scalars(query.order_by(Letter.issued_at, Letter.id)))
    if kenmerk is not None and not letter_ids:
        raise NotFound(f"No issued letter has kenmerk {kenmerk}.")
    failed = []
    # Letters are sealed since migration 0011: an unsealed one issued after a sealed one lost
    # its seal outside the app.
    sealed_since = session.scalar(
        sa.select(sa.func.min(Letter.issued_at)).where(Letter.issue_seal.is_not(None))
    )
    for letter_id in letter_ids:
        letter = session.get(
            Letter, letter_id, options=[undefer(Letter.pdf)], populate_existing=True
        )
        check = check_letter(letter)
        if letter.issue_seal is None and sealed_since and letter.issued_at >= sealed_since:
            check.problems.append("it has no seal, though letters issued before it have one")
        if check.problems:
            failed.append(check)
        session.expunge(letter)  # one PDF in memory at a time
    return len(letter_ids), failed
