"""Upload page: officers import a notices file or the monitor's check log.

The same code path as ``flask notices import``: iter_records over the file, then import_notices
(or import_checks), all or nothing unless invalid rows may be skipped.
"""

import io

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from enforcement.auth.models import Role
from enforcement.core.errors import ImportErrors
from enforcement.core.tabular import iter_records
from enforcement.core.web import roles_required
from enforcement.extensions import csrf, db
from enforcement.notices.forms import UploadForm
from enforcement.notices.importing import ImportReport, get_or_create_source, import_notices
from enforcement.notices.probes import import_checks

bp = Blueprint("notices", __name__)
UPLOADERS = (Role.OFFICER, Role.SUPERVISOR)
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
ERRORS_SHOWN = 500
NOTHING_IMPORTED = "Nothing was imported."
API_SOURCE = "This source sends its notices through the API; an upload cannot change them."
NOT_UTF8 = "The file is not UTF-8 text. Save it as UTF-8 and try again."


class UnreadableFile(Exception):
    """The upload is not a text file the importer can read."""


@bp.route("/upload", methods=["GET", "POST"])
@roles_required(*UPLOADERS)
@csrf.exempt  # checked below, once the size limit is set: an oversized body is never read
def upload():
    request.max_content_length = upload_limit()
    if request.method == "POST":
        csrf.protect()
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("notices/upload.html", form=form)
    try:
        report = import_upload(form)
    except (ImportErrors, UnreadableFile) as exc:
        db.session.rollback()
        errors = exc.errors if isinstance(exc, ImportErrors) else [(0, "", str(exc))]
        return render_errors(form, errors, NOTHING_IMPORTED), 422
    db.session.commit()
    if report.errors:
        # The rejected rows do not fit in a redirect; showing them after the commit is safe to
        # resubmit, since importing the same file again changes nothing.
        return render_errors(form, report.errors, f"Imported: {report.summary()}.")
    flash(f"Imported: {report.summary()}.", "info")
    return redirect(url_for("notices.upload"))


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):
    megabytes = upload_limit() // (1024 * 1024)
    reason = f"The file is larger than {megabytes} MB. Split it, or use flask notices import."
    return render_errors(UploadForm(formdata=None), [(0, "", reason)], NOTHING_IMPORTED), 413


def upload_limit() -> int:
    return current_app.config.get("NOTICE_UPLOAD_MAX_BYTES", MAX_UPLOAD_BYTES)


def render_errors(form: UploadForm, errors: list[tuple[int, str, str]], outcome: str) -> str:
    """Render the upload page with an outcome and the errors, at most ERRORS_SHOWN of them."""
    return render_template(
        "notices/upload.html",
        form=form,
        outcome=outcome,
        errors=errors[:ERRORS_SHOWN],
        more_errors=max(0, len(errors) - ERRORS_SHOWN),
    )


def import_upload(form: UploadForm) -> ImportReport:
    """Import the uploaded file as the form says; flushes, the caller commits or rolls back."""
    stream = io.TextIOWrapper(form.file.data.stream, encoding="utf-8-sig", newline="")
    records = iter_records(stream, form.resolved_format())
    source = get_or_create_source(db.session, form.source.data)
    if source.token_hash is not None:  # a source belongs to its import path
        raise UnreadableFile(API_SOURCE)
    options = {"source": source,
               "assume_tz": form.zone(), "skip_invalid": form.skip_invalid.data}  # fmt: skip
    try:
        if form.checks.data:
            failures = current_app.config["CHECK_FAILURES_FOR_OFFLINE"]
            report = import_checks(db.session, records, failures_for_offline=failures, **options)
        else:
            report = import_notices(db.session, records, **options)
    except UnicodeDecodeError:
        raise UnreadableFile(NOT_UTF8) from None
    if report.rows == 0:
        raise UnreadableFile("The file has no rows to import.")
    return report
