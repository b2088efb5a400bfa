"""The supervisor queue (approvals, deadlines due soon or overdue, candidates); the case list."""

import re

import pytest
import sqlalchemy as sa

from enforcement.cases.ladder import Trigger
from enforcement.cases.models import Deadline
from enforcement.casework.operations import propose
from enforcement.core.time import LOCAL_TZ, utcnow
from tests.cases import pages
from tests.cases.pages import (
    ago,
    open_at,
    text_of,
)

slow_notices, slowhost = pages.slow_notices, pages.slowhost  # fixtures


@pytest.fixture
def queue_data(session, create_hoster, slow_notices, slowhost, staff):
    """Slowhost: warned ten weeks ago, naming proposed, so its improvement window is overdue.
    Quiethost: warned 53 days ago, its eight-week window ends in about three days.
    Fasthost: breaches too, but has no case."""
    overdue_case = open_at(session, slowhost, staff["officer"], ago(weeks=10), warn=True)
    proposal = propose(
        session,
        overdue_case,
        Trigger.INTEND_NAMING,
        actor=staff["officer"],
        reason="Still slow",
        now=ago(days=2),
    )
    quiet = create_hoster(2, trade_name="Quiethost")
    due_case = open_at(session, quiet, staff["officer2"], ago(days=53), warn=True)
    fasthost = slow_notices(create_hoster(3, trade_name="Fasthost"))  # a misnomer: it breaches
    session.commit()
    return {"overdue": overdue_case, "due": due_case, "proposal": proposal, "fasthost": fasthost}


def section(page: str, anchor: str) -> str:
    return page.split(f'<section id="{anchor}">', 1)[1].split("</section>", 1)[0]


def test_the_queue_lists_each_kind_with_counts(client, signed_in, session, queue_data):
    signed_in("supervisor")
    page = text_of(client.get("/cases/queue"))
    approvals = section(page, "approvals")
    assert "Pending approvals (1)" in approvals
    assert "Announce public naming" in approvals and "Slowhost" in approvals
    assert "2 days" in approvals

    due = section(page, "due")
    assert "Deadlines due within 7 days (1)" in due
    window = session.scalar(sa.select(Deadline).where(Deadline.case_id == queue_data["due"].id))
    days_left = window.due_at.astimezone(LOCAL_TZ).date() - utcnow().astimezone(LOCAL_TZ).date()
    assert "Quiethost" in due and f"{days_left.days} days left" in due
    assert days_left.days in (2, 3, 4)  # three, give or take a change of summer time

    overdue = section(page, "overdue")
    assert "Overdue deadlines (1)" in overdue
    assert "Slowhost" in overdue and re.search(r"overdue by 1[34] days", overdue)

    candidates = section(page, "candidates")
    assert "Candidates without a case (1)" in candidates
    assert "Fasthost" in candidates and "Slowhost" not in candidates


def test_each_section_sorts_by_its_own_parameter(client, signed_in, session, queue_data, staff):
    fasthost = queue_data["fasthost"]
    penalty_case = open_at(session, fasthost, staff["officer"], ago(weeks=10), warn=True)
    propose(
        session,
        penalty_case,
        Trigger.INTEND_PENALTY,
        actor=staff["legal"],
        reason="Persistent",
        now=ago(days=1),
    )
    session.commit()
    signed_in("supervisor")

    def hosters_in(query: str) -> list[str]:
        approvals = section(text_of(client.get(f"/cases/queue?{query}")), "approvals")
        return re.findall(r"<td>(\w+host)</td>", approvals)

    assert hosters_in("") == ["Slowhost", "Fasthost"]  # the longest waiting first
    assert hosters_in("sort=approvals:hoster") == ["Fasthost", "Slowhost"]
    assert hosters_in("sort=approvals:proposer") == ["Fasthost", "Slowhost"]  # legal… < officer…
    assert hosters_in("sort=due:kind&sort=approvals:step") == ["Slowhost", "Fasthost"]
    assert hosters_in("sort=approvals:nonsense") == ["Slowhost", "Fasthost"]
    page = client.get("/cases/queue?sort=approvals:hoster").get_data(as_text=True)
    assert '<strong aria-current="true">hoster</strong>' in section(page, "approvals")
    assert "sort=approvals:hoster" in section(page, "due").replace("%3A", ":")


def test_the_case_list_filters_by_stage_and_officer(
    client, signed_in, session, create_hoster, slowhost, staff
):
    warned = open_at(session, slowhost, staff["officer"], ago(days=3), warn=True)
    otherhost = create_hoster(2, trade_name="Otherhost")
    other = open_at(session, otherhost, staff["officer2"], ago(days=2))
    signed_in("supervisor")

    def listed(query: str) -> list[int]:
        page = client.get(f"/cases/?{query}").get_data(as_text=True)
        return [int(n) for n in re.findall(r'<tr data-case="(\d+)">', page)]

    assert sorted(listed("")) == sorted([warned.id, other.id])
    assert listed("stage=warning") == [warned.id]
    assert listed(f"officer={staff['officer2'].id}") == [other.id]
    assert listed("hoster=slow") == [warned.id]
    assert listed("status=closed") == []


@pytest.mark.parametrize(
    ("role", "start"),
    [
        ("supervisor", "/cases/queue"),
        ("legal", "/letters/?status=draft"),
        ("officer", "/candidates"),
        ("admin", "/admin/users/"),
    ],
)
def test_each_role_lands_on_its_work(client, auth, create_user, role, start):
    user = create_user(role)
    assert auth.login(user.email).headers["Location"] == "/"
    assert client.get("/").headers["Location"] == start
