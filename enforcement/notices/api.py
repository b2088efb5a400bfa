"""JSON API for the monitor: notices in batches, authenticated by a bearer token per source.

POST /api/v1/notices {"notices": [{...}, ...]} with at most 1,000 items. Valid items are
imported, invalid ones rejected with reasons; the answer has one result per item, in order.
A repeated batch changes nothing and answers "unchanged".
"""

import hashlib
import json
import secrets
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy.orm import Session

from enforcement.core.errors import DomainError
from enforcement.core.web import api_token_required
from enforcement.extensions import csrf, db, limiter
from enforcement.notices.importing import get_or_create_source, import_notices
from enforcement.notices.models import Notice, NoticeSource
from enforcement.notices.parsing import CONTROL_CHARACTERS, MAX_ID_LENGTH

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # token-authenticated; no cookies, so no cross-site request to forge
MAX_BATCH = 1000
COMPARED = ("url", "ip", "hoster_id", "notice_sent_at", "offline_at", "reappeared_at",
            "content_hash")  # fmt: skip


MAX_BODY_BYTES = 8 * 1024 * 1024


class BatchError(DomainError):
    """The request as a whole is unusable."""


class BatchTooLarge(BatchError):
    status_code = 413


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, source_name: str) -> str:
    """Create (or replace) the API token of a source; return it, to be shown once."""
    source = get_or_create_source(session, source_name)
    token = secrets.token_urlsafe(32)
    source.token_hash = token_digest(token)
    session.flush()
    return token


def source_for_token(token: str) -> NoticeSource | None:
    """Return the source whose token this is, or None."""
    return db.session.scalar(
        sa.select(NoticeSource).where(NoticeSource.token_hash == token_digest(token))
    )


def _snapshot(session: Session, source_id: int, ids: list[str]) -> dict[str, tuple]:
    columns = [getattr(Notice, name) for name in COMPARED]
    rows = session.execute(
        sa.select(Notice.external_id, *columns).where(
            Notice.source_id == source_id, Notice.external_id.in_(ids)
        )
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def _body() -> Any:
    """Return the parsed JSON body; its size counts as it is read, so a chunked body (without
    Content-Length) meets the same limit."""
    too_large = BatchTooLarge(f"The body may be at most {MAX_BODY_BYTES // 2**20} MiB.")
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise too_large
    # Werkzeug stops a chunked body at this length without a word; one byte more tells us.
    request.max_content_length = MAX_BODY_BYTES + 1
    data = request.get_data(cache=False)
    if len(data) > MAX_BODY_BYTES:
        raise too_large
    try:
        return json.loads(data)
    except (ValueError, RecursionError):  # RecursionError: brackets nested thousands deep
        raise BatchError("The body is not valid JSON, or nests too deeply.") from None


def _items(payload: Any) -> list[Any]:
    items = payload.get("notices") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        raise BatchError('The body must be a JSON object {"notices": [...]}.')
    if not items:
        raise BatchError("The batch is empty.")
    if len(items) > MAX_BATCH:
        raise BatchTooLarge(f"A batch holds at most {MAX_BATCH} notices; this has {len(items)}.")
    return items


def api_token_key() -> str:
    """Rate-limit key: the bearer token's digest, known before the token is looked up."""
    return "token:" + token_digest(request.headers.get("Authorization", ""))


@bp.post("/v1/notices")
@limiter.limit(lambda: current_app.config["API_RATE_LIMIT_CLIENT"])
@limiter.limit(lambda: current_app.config["API_RATE_LIMIT_TOKEN"], key_func=api_token_key)
@api_token_required(source_for_token)
def post_notices():
    source: NoticeSource = g.api_caller
    items = _items(_body())
    ids = [str(item.get("notice_id", "")).strip() for item in items if isinstance(item, dict)]
    ids = [i for i in ids if len(i) <= MAX_ID_LENGTH and not CONTROL_CHARACTERS.search(i)]
    before = _snapshot(db.session, source.id, ids)
    rejected: dict[int, list[dict[str, str]]] = {}

    def on_reject(number, record, errors):
        rejected[number] = [{"column": column, "reason": reason} for column, reason in errors]

    records = [(n, item if isinstance(item, dict) else "an item must be a JSON object")
               for n, item in enumerate(items, start=1)]  # fmt: skip
    report = import_notices(db.session, records, source=source, skip_invalid=True,
                            on_reject=on_reject)  # fmt: skip
    after = _snapshot(db.session, source.id, ids)
    db.session.commit()
    current_app.logger.info("API batch from %s: %s", source.name, report.summary())
    results = [_result(n, item, rejected, before, after) for n, item in enumerate(items, 1)]
    return jsonify(
        created=report.created, updated=report.updated, unchanged=report.unchanged,
        rejected=report.rejected, results=results,
    )  # fmt: skip


def _result(number, item, rejected, before, after) -> dict[str, Any]:
    notice_id = str(item.get("notice_id", "")).strip() if isinstance(item, dict) else ""
    if number in rejected:
        return {"item": number, "notice_id": notice_id, "status": "rejected",
                "errors": rejected[number]}  # fmt: skip
    if notice_id not in before:
        status = "created"
    else:
        status = "unchanged" if before[notice_id] == after.get(notice_id) else "updated"
    return {"item": number, "notice_id": notice_id, "status": status}
