"""The register shows tampering with issue records and deleted letters (issue 15, finding 1)."""

import hashlib
import json
from datetime import timedelta

import sqlalchemy as sa

from enforcement.letters.services import issue_letter, register_gaps, verify_letters
from tests.letters.test_issuing import ISSUED_AT
from tests.letters.test_register import issued, tamper  # noqa: F401  (fixture)

SEAL = "its issue record (who, when, kenmerk, hashes) does not match its seal"


def test_an_edited_issuer_or_moment_shows(session, issued, staff):  # noqa: F811
    assert verify_letters(session) == (1, [])
    tamper(session, issued.id, issued_by_id=staff["officer"].id)
    assert verify_letters(session)[1][0].problems == [SEAL]
    tamper(session, issued.id, issued_by_id=staff["legal"].id,
           issued_at=ISSUED_AT - timedelta(days=3))  # fmt: skip
    assert verify_letters(session)[1][0].problems == [SEAL]


def test_a_replaced_context_pdf_and_hash_show(session, issued, draft, staff):  # noqa: F811
    """An intruder who renders a forged letter and stores it with its true hash is caught."""
    other = issue_letter(session, draft(), actor=staff["legal"], now=ISSUED_AT)
    session.commit()
    row = session.execute(sa.text("SELECT context, pdf, pdf_sha256 FROM letters WHERE id = :id"),
                          {"id": other.id}).one()  # fmt: skip
    context = row.context if isinstance(row.context, str) else json.dumps(row.context)
    context = context.replace(other.kenmerk, issued.kenmerk)
    pdf = bytes(row.pdf)
    tamper(session, issued.id, context=context, pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest())
    failed = {check.kenmerk: check.problems for check in verify_letters(session)[1]}
    assert SEAL in failed[issued.kenmerk]


def test_a_deleted_letter_leaves_a_gap(session, runner, issued, draft, staff):  # noqa: F811
    last = issue_letter(session, draft(), actor=staff["legal"], now=ISSUED_AT)
    session.commit()
    assert register_gaps(session) == []
    # Out of the app's reach: the database's own statement, past the ORM's refusals.
    with session.get_bind().begin() as connection:
        connection.execute(sa.text("DELETE FROM letters WHERE id = :id"), {"id": issued.id})
        connection.execute(sa.text("DELETE FROM letters WHERE id = :id"), {"id": last.id})
    session.expire_all()
    assert register_gaps(session) == ["2026: no issued letter has number(s) 1, 2"]
    result = runner.invoke(args=["letters", "verify"])
    assert result.exit_code == 1 and "register 2026: no issued letter has number(s) 1, 2" in (
        result.output
    )
