"""Issuing at the same moment over real PostgreSQL connections: one gap-free kenmerk each."""

import threading
import time

import pytest
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.core.errors import Conflict
from enforcement.extensions import db
from enforcement.letters.models import KenmerkCounter, Letter, LetterStatus
from enforcement.letters.services import issue_letter
from tests.conftest import ON_POSTGRES
from tests.letters.test_issuing import ISSUED_AT

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL's real connections")


def issue_in_own_session(engine, letter_id: int, user_id: int, start, outcomes: list) -> None:
    """Issue one letter in a session (connection) of its own, once all issuers are ready."""
    with Session(engine) as session:
        letter, legal = session.get(Letter, letter_id), session.get(User, user_id)
        start.wait()
        try:
            outcomes.append(issue_letter(session, letter, actor=legal, now=ISSUED_AT).kenmerk)
            session.commit()
        except Conflict as exc:
            session.rollback()
            outcomes.append(exc)


def issuer(letter_id: int, user_id: int, start, outcomes: list) -> threading.Thread:
    args = (db.engine, letter_id, user_id, start, outcomes)
    thread = threading.Thread(target=issue_in_own_session, args=args)
    thread.start()
    return thread


def issue_at_once(letter_ids: list[int], user_id: int) -> list:
    """Issue the letters from as many threads at the same moment; return what each got."""
    start, outcomes = threading.Barrier(len(letter_ids)), []
    for thread in [issuer(letter_id, user_id, start, outcomes) for letter_id in letter_ids]:
        thread.join(timeout=60)
    return outcomes


def counter(session) -> int:
    session.expire_all()
    return session.get(KenmerkCounter, 2026).last_value


def test_letters_issued_at_the_same_moment_get_consecutive_kenmerken(session, draft, staff):
    letter_ids = [draft().id for _ in range(3)]
    outcomes = issue_at_once(letter_ids, staff["legal"].id)
    assert sorted(outcomes) == ["ENF-2026-000001", "ENF-2026-000002", "ENF-2026-000003"]
    assert counter(session) == 3


def test_one_draft_issued_twice_at_once_is_issued_once_and_burns_no_number(session, draft, staff):
    letter_id = draft().id
    outcomes = issue_at_once([letter_id, letter_id], staff["legal"].id)
    assert "ENF-2026-000001" in outcomes
    assert [type(outcome) for outcome in outcomes].count(Conflict) == 1
    assert counter(session) == 1


def test_a_waiting_issuer_takes_the_number_a_rolled_back_one_gave_back(session, draft, staff):
    first_id, second_id, legal_id = draft().id, draft().id, staff["legal"].id
    outcomes: list = []
    with Session(db.engine) as first:
        letter, legal = first.get(Letter, first_id), first.get(User, legal_id)
        assert issue_letter(first, letter, actor=legal, now=ISSUED_AT).kenmerk.endswith("000001")
        waiting = issuer(second_id, legal_id, threading.Barrier(1), outcomes)
        time.sleep(0.5)
        assert waiting.is_alive(), "the second issuer should be waiting for the counter row"
        first.rollback()
    waiting.join(timeout=60)
    assert outcomes == ["ENF-2026-000001"]
    session.expire_all()
    assert session.get(Letter, first_id).status == LetterStatus.DRAFT
    assert counter(session) == 1
