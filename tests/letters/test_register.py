"""Issued letters never change, and `flask letters verify` notices when one did."""

import hashlib

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from enforcement.letters.models import Letter, LetterStatus, LetterTemplate
from enforcement.letters.services import issue_letter, update_draft, verify_letters
from tests.letters.test_issuing import ISSUED_AT


@pytest.fixture
def issued(session, draft, staff):
    letter = issue_letter(session, draft(), actor=staff["legal"], now=ISSUED_AT)
    session.commit()
    return letter


@pytest.fixture
def stored(issued):
    """An issued letter, for the checks that the register keeps it as it is."""
    return issued


@pytest.mark.parametrize(
    "change",
    [
        lambda letter: setattr(letter, "pdf", b"%PDF-1.7 forged"),
        lambda letter: setattr(letter, "pdf_sha256", "0" * 64),
        lambda letter: setattr(letter, "context", {**letter.context, "figures": {}}),
        lambda letter: setattr(letter, "kenmerk", "ENF-2026-999999"),
        lambda letter: setattr(letter, "status", LetterStatus.DRAFT),
        lambda letter: setattr(letter, "issued_at", None),
    ],
)
def test_a_flush_that_changes_an_issued_letter_is_refused(session, stored, change):
    change(stored)
    with pytest.raises(RuntimeError, match="an issued letter cannot be changed"):
        session.flush()
    session.rollback()


def test_an_issued_letter_cannot_be_deleted(session, stored):
    session.delete(stored)
    with pytest.raises(RuntimeError, match="cannot be deleted"):
        session.flush()
    session.rollback()


def test_bulk_updates_and_deletes_on_the_register_are_refused(session, stored):
    with pytest.raises(RuntimeError, match="one by one"):
        session.execute(sa.update(Letter).values(pdf=b"x"))
    with pytest.raises(RuntimeError, match="one by one"):
        session.execute(sa.delete(LetterTemplate))
    session.rollback()


def test_a_template_snapshot_cannot_be_changed(session, stored):
    stored.template.source = "{}"
    with pytest.raises(RuntimeError, match="template snapshot"):
        session.flush()
    session.rollback()


def test_a_draft_can_be_regenerated_and_discarded(session, draft, staff):
    letter = draft()
    context = {**letter.context, "improvement_ends_on": "2026-05-04"}
    update_draft(session, letter, context, actor=staff["officer"])
    session.commit()
    assert session.get(Letter, letter.id).context["improvement_ends_on"] == "2026-05-04"
    session.delete(letter)
    session.commit()


def test_the_database_ties_the_status_to_the_issued_columns(session, case, draft):
    letter = draft()
    # No PDF, no hash, no issuer: the CHECK constraint refuses it.
    with pytest.raises(IntegrityError, match="ck_letters_status_columns"):
        session.execute(
            sa.text("UPDATE letters SET status = 'issued', kenmerk = 'ENF-1' WHERE id = :id"),
            {"id": letter.id},
        )
    session.rollback()


def tamper(session, letter_id: int, **columns) -> None:
    """Change stored columns directly in the database, as an intruder would."""
    assignments = ", ".join(f"{name} = :{name}" for name in columns)
    session.execute(sa.text(f"UPDATE letters SET {assignments} WHERE id = :id"),
                    {**columns, "id": letter_id})  # fmt: skip
    session.commit()
    session.expire_all()


def test_verify_passes_then_fails_after_the_pdf_is_replaced(session, runner, issued):
    assert verify_letters(session) == (1, [])
    result = runner.invoke(args=["letters", "verify"])
    assert result.exit_code == 0, result.output
    assert "All 1 issued letter(s) verified." in result.output

    # An incremental update appended to the file, as a PDF editor would save a change.
    tamper(session, issued.id, pdf=issued.pdf + b"\n% changed afterwards\n")
    checked, failed = verify_letters(session)
    assert checked == 1
    assert [check.kenmerk for check in failed] == ["ENF-2026-000001"]
    assert failed[0].problems == ["the stored PDF does not match its recorded SHA-256"]
    result = runner.invoke(args=["letters", "verify"])
    assert result.exit_code == 1
    assert "ENF-2026-000001: the stored PDF does not match" in result.output
    assert "1 of 1 issued letter(s) differ." in result.output


def test_verify_notices_a_forged_pdf_with_a_matching_hash(session, issued):
    forged = issued.pdf + b"\n% changed afterwards\n"
    tamper(session, issued.id, pdf=forged, pdf_sha256=hashlib.sha256(forged).hexdigest())
    _, failed = verify_letters(session, "ENF-2026-000001")
    assert len(failed) == 1
    assert failed[0].problems[0].startswith("rendering it again gives a different PDF")


def test_verify_notices_a_changed_context(session, runner, issued):
    context = {**issued.context, "figures": {**issued.context["figures"], "notices": 1}}
    letter = session.get(Letter, issued.id)
    session.expunge(letter)
    session.execute(
        sa.update(Letter.__table__)
        .where(Letter.__table__.c.id == issued.id)
        .values(context=context)
    )  # a Core statement on the table, outside the ORM's checks
    session.commit()
    session.expire_all()
    result = runner.invoke(args=["letters", "verify", "ENF-2026-000001"])
    assert result.exit_code == 1
    assert "rendering it again gives a different PDF" in result.output


def test_verify_of_an_unknown_kenmerk_fails(runner, stored):
    result = runner.invoke(args=["letters", "verify", "ENF-2026-000404"])
    assert result.exit_code == 1
    assert "No issued letter has kenmerk ENF-2026-000404." in result.output
