"""Letter pages: the register, one letter with its preview and PDF, drafting, regenerating, issuing.

An issued letter never changes: every POST here that names a letter refuses an issued one
with a 409 before anything else happens (and the models refuse any flush that would change it),
but for drafting its correction, which is a new letter citing it.
"""

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from enforcement.auth.models import Role
from enforcement.cases.events import CASE_CHANGED
from enforcement.cases.ladder import Stage
from enforcement.cases.services import get_case
from enforcement.cases.steps import step_label
from enforcement.casework.operations import issue as issue_letter
from enforcement.core.errors import Conflict, DomainError, PermissionDenied
from enforcement.core.time import utcnow
from enforcement.core.web import paginate, roles_required
from enforcement.dispatch.services import DISPATCH_STATES, message_of
from enforcement.extensions import db
from enforcement.letters.drafts import draft_correction, draft_letter, refresh_draft
from enforcement.letters.forms import DraftLetterForm, read_register_filters
from enforcement.letters.models import Letter, LetterStatus
from enforcement.letters.orders import order_of_letter
from enforcement.letters.queries import (
    can_draft,
    can_regenerate,
    draft_of,
    get_letter,
    letter_kinds,
    letters_query,
)
from enforcement.letters.render import LetterRenderError, render_html, render_snapshot, sha256_hex
from enforcement.letters.services import DRAFTERS, LetterNotRendered, preview_pdf

bp = Blueprint("letters", __name__)
LETTERS_PER_PAGE = 25
# The preview is our own autoescaped template, yet it is shown with nothing allowed but its
# inline stylesheet and data: images: no script, no fetch, no form, no frame.
# The preview runs no script and loads nothing, and only the app's own letter page frames it.
PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


class StoredPdfDiffers(DomainError):
    """The stored bytes of an issued letter no longer match its recorded SHA-256."""

    status_code = 500


# A letter can list URLs (a removal order, the evidence it embeds): not for administrators,
# who manage users and have no need to see abuse data.
LETTER_READERS = (Role.OFFICER, Role.LEGAL, Role.SUPERVISOR)


@bp.get("/")
@roles_required(*Role)
def index():
    kinds = letter_kinds()
    filters = read_register_filters(request.args, kinds)
    context = {"filters": filters, "kinds": kinds, "stages": list(Stage),
               "statuses": list(LetterStatus)}  # fmt: skip
    if filters.errors:
        return render_template("letters/index.html", page=None, **context), 400
    page = paginate(letters_query(**filters.query()), per_page=LETTERS_PER_PAGE)
    return render_template("letters/index.html", page=page, **context)


@bp.get("/<int:letter_id>")
@roles_required(*LETTER_READERS)
def detail(letter_id: int):
    letter = get_letter(db.session, letter_id)
    is_draft = letter.status == LetterStatus.DRAFT
    order = order_of_letter(db.session, letter)
    return render_template(
        "letters/detail.html",
        letter=letter,
        order=order,
        may_issue=is_draft and current_user.role == Role.LEGAL,
        may_regenerate=is_draft and current_user.role in DRAFTERS and order is None,
        may_correct=not is_draft and current_user.role in DRAFTERS and order is None,
        can_regenerate=can_regenerate(letter.kind),
        step_label=step_label,
        message=message_of(db.session, letter),
        dispatch_states=DISPATCH_STATES,
    )


@bp.get("/<int:letter_id>/preview")
@roles_required(*LETTER_READERS)
def preview_html(letter_id: int):
    response = Response(letter_html(get_letter(db.session, letter_id)), mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"  # the default DENY would blank the frame
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<int:letter_id>.pdf")
@roles_required(*LETTER_READERS)
def pdf(letter_id: int):
    letter = get_letter(db.session, letter_id)
    if letter.status == LetterStatus.ISSUED:
        if sha256_hex(letter.pdf) != letter.pdf_sha256:
            raise StoredPdfDiffers("The stored PDF does not match its SHA-256; run letters verify.")
        data, name = letter.pdf, f"{letter.kenmerk}.pdf"
    else:
        data, name = preview_pdf(letter), f"DRAFT-{letter.kind}-{letter.id}.pdf"
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/<int:letter_id>/regenerate")
@roles_required(*DRAFTERS)
def regenerate(letter_id: int):
    letter = letter_to_change(letter_id)
    if not can_regenerate(letter.kind):
        raise Conflict(f"A {kind_name(letter.kind)} letter cannot be gathered again from the data.")
    try:
        refresh_draft(db.session, letter, actor=current_user, letter_date=utcnow())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash("The draft was gathered again from the data as it stands now.", "info")
    return redirect(url_for("letters.detail", letter_id=letter_id))


@bp.post("/<int:letter_id>/issue")
@roles_required(Role.LEGAL)
def issue(letter_id: int):
    letter = letter_to_change(letter_id)
    prefix = current_app.config["LETTER_KENMERK_PREFIX"]
    try:
        # Dated now: the step it belongs to takes effect, and its deadlines count, from now.
        issue_letter(db.session, letter, actor=current_user, now=utcnow(), prefix=prefix,
                     signatory=current_app.config["LETTER_SIGNATORY"])  # fmt: skip
        db.session.commit()
    except PermissionDenied:
        db.session.rollback()
        raise  # a 403 page with the message
    except DomainError as exc:  # issued by someone else meanwhile; cannot be gathered or rendered
        db.session.rollback()
        flash(exc.message, "error")
    except StaleDataError:  # the case changed under the step this letter completes
        db.session.rollback()
        flash(CASE_CHANGED, "error")
    else:
        flash(f"Issued as {letter.kenmerk}. It is in the register and never changes, and it is "
              "in the outbox: its terms start when the hoster's mail server accepts it.",
              "info")  # fmt: skip
    return redirect(url_for("letters.detail", letter_id=letter_id))


@bp.post("/<int:letter_id>/correct")
@roles_required(*DRAFTERS)
def correct(letter_id: int):
    letter = get_letter(db.session, letter_id)
    if letter.status != LetterStatus.ISSUED:
        raise Conflict("Only an issued letter is corrected; change the draft instead.")
    try:
        correction = draft_correction(db.session, letter, actor=current_user, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("letters.detail", letter_id=letter_id))
    flash(f"A correction of {letter.kenmerk} is drafted from the data as they stand.", "info")
    return redirect(url_for("letters.detail", letter_id=correction.id))


@bp.post("/draft")
@roles_required(*DRAFTERS)
def draft():
    form = DraftLetterForm()
    if not form.validate_on_submit():
        raise DomainError("The form was incomplete. Reload the page and try again.")
    case, kind = get_case(db.session, form.case_id.data), form.kind.data
    if kind not in letter_kinds():
        raise DomainError("There is no letter of that kind.")
    if not can_draft(kind):
        raise Conflict(f"A {kind_name(kind)} letter cannot be drafted from this page yet.")
    existing = draft_of(db.session, case.id, kind)
    if existing is not None:
        flash(f"Case #{case.id} already has a draft {kind_name(kind)} letter: this one.", "info")
        return redirect(url_for("letters.detail", letter_id=existing.id))
    try:
        letter = draft_letter(db.session, case, kind, actor=current_user, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("cases.detail", case_id=case.id))
    flash(f"The {kind_name(kind)} letter is drafted. Check it before it is issued.", "info")
    return redirect(url_for("letters.detail", letter_id=letter.id))


# Helpers ----------------------------------------------------------------------------------------


def kind_name(kind: str) -> str:
    return kind.replace("_", " ")


def letter_to_change(letter_id: int) -> Letter:
    """Return a letter that is still a draft; an issued one is refused with a 409."""
    letter = get_letter(db.session, letter_id)
    if letter.status != LetterStatus.DRAFT:
        raise Conflict(
            f"Letter {letter.kenmerk} was issued and never changes. "
            "A correction is a new letter that cites it."
        )
    return letter


def letter_html(letter: Letter) -> str:
    """Render a letter's HTML: an issued one from its own snapshot, a draft from the files."""
    try:
        if letter.status == LetterStatus.ISSUED:
            return render_snapshot(letter.template.source, letter.context)
        return render_html(letter.kind, letter.language.value, letter.context)
    except LetterRenderError as exc:
        raise LetterNotRendered(f"The letter could not be rendered: {exc}") from None
