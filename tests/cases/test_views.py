"""The case pages through their real forms: opening, the ladder, steps, four eyes, objections."""

import re
from datetime import date, timedelta

import sqlalchemy as sa

from enforcement.cases.events import CASE_CHANGED
from enforcement.cases.ladder import Stage, Trigger, ladder_edges
from enforcement.cases.models import Case, CaseEvent, Deadline, Decision, Proposal
from enforcement.casework.operations import propose
from enforcement.core.time import LOCAL_TZ, format_local, utcnow
from enforcement.deadlines import end_of_day
from enforcement.letters.models import Letter
from tests.cases import pages
from tests.cases.conftest import approve_now, take
from tests.cases.pages import (
    ago,
    find_form,
    forms_on,
    open_at,
    submit,
    text_of,
)

slow_notices, slowhost = pages.slow_notices, pages.slowhost  # fixtures


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_officer_opens_a_case_from_the_candidates_page(client, signed_in, session, slowhost):
    officer = signed_in("officer")
    candidates = client.get("/candidates").get_data(as_text=True)
    response = submit(client, "/candidates", "/cases/open", {"hoster_id": str(slowhost.id)})
    assert response.status_code == 302
    case = session.scalar(sa.select(Case))
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert (case.stage, case.opened_by_id) == (Stage.NOTICE, officer.id)
    frozen = case.opening_figures
    assert frozen["figures"]["notices"] > 0 and frozen["breach_reasons"]
    assert frozen["thresholds"]["min_offline_within_24h_pct"] == 90.0
    today = utcnow().astimezone(LOCAL_TZ).date()
    assert frozen["window"] == [(today - timedelta(days=41)).isoformat(), today.isoformat()]
    assert "Slowhost" in text_of(client.get(response.headers["Location"]))
    assert "Slowhost" not in text_of(client.get("/candidates"))
    # The old page's button again: a conflict, told as a message, and still one case.
    form = find_form(candidates, "/cases/open", hoster_id=str(slowhost.id))
    again = client.post("/cases/open", data=form.fields, follow_redirects=True)
    assert again.status_code == 200
    assert "Slowhost already has an open case" in text_of(again)
    assert count(session, Case) == 1


def test_a_hoster_within_the_policy_needs_a_written_reason(
    client, signed_in, session, create_hoster
):
    hoster = create_hoster(2, trade_name="Quickhost")
    signed_in("officer")
    page = f"/hosters/{hoster.id}"
    refused = submit(client, page, "/cases/open", reason="")
    assert "give a written reason" in text_of(client.get(refused.headers["Location"]))
    assert count(session, Case) == 0
    opened = submit(client, page, "/cases/open", reason="Complaint from the hotline")
    case = session.scalar(sa.select(Case))
    assert opened.headers["Location"] == f"/cases/{case.id}"
    assert case.opening_reason == "Complaint from the hotline"
    assert f'href="/cases/{case.id}"' in client.get(page).get_data(as_text=True)


def test_the_case_page_draws_the_machine_and_marks_the_stage(
    client, signed_in, session, slowhost, staff
):
    case = open_at(session, slowhost, staff["officer"], ago(weeks=1), warn=True)
    signed_in("legal")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    rungs = re.findall(r'data-stage="(\w+)"[^>]*>(.*?)</li>\s*(?=<li class="rung|</ol)', page, re.S)
    exits = r'data-trigger="(\w+)" data-dest="(\w+)"'
    drawn = {(stage, *edge) for stage, body in rungs for edge in re.findall(exits, body)}
    assert drawn == {(s.value, t.value, d.value) for s, t, d in ladder_edges()}
    assert re.findall(r'data-stage="(\w+)"', page) == [stage.value for stage in Stage]
    assert re.findall(r'data-stage="(\w+)" aria-current="step"', page) == ["warning"]
    assert "Chain verified" in page


def test_a_warning_is_sent_when_its_letter_is_issued(
    client, auth, signed_in, session, slowhost, staff
):
    case = open_at(session, slowhost, staff["officer"], ago(days=1))
    signed_in("officer")
    response = submit(
        client,
        f"/cases/{case.id}",
        f"/cases/{case.id}/act",
        {"trigger": "send_warning"},
        reason="Figures far below the norm",
    )
    page = text_of(client.get(response.headers["Location"]))
    assert "Send the warning letter: its warning letter is drafted" in page
    assert "Waiting for its letter" in page and "Improvement window" not in page
    session.expire_all()
    assert session.get(Case, case.id).stage == Stage.NOTICE  # not before the letter is issued
    # Legal staff issue the letter: that sends the warning and starts the improvement window.
    auth.logout()
    signed_in("legal")
    letter = session.scalar(sa.select(Letter).where(Letter.kind == "warning"))
    issued = submit(client, f"/letters/{letter.id}", f"/letters/{letter.id}/issue")
    assert "Issued as ENF-" in text_of(client.get(issued.headers["Location"]))
    page = text_of(client.get(f"/cases/{case.id}"))
    today = utcnow().astimezone(LOCAL_TZ).date()
    due = end_of_day(today + timedelta(weeks=8))
    assert "Improvement window" in page
    assert format_local(due, "%A %d %B %Y, %H:%M") in page
    assert "56 days left" in page
    session.expire_all()
    assert session.get(Case, case.id).stage == Stage.WARNING
    window = session.scalar(sa.select(Deadline).where(Deadline.kind == "improvement_window"))
    assert window.starts_at == session.get(Letter, letter.id).issued_at


def test_four_eyes_through_the_pages(client, auth, signed_in, session, slowhost, staff):
    case = open_at(session, slowhost, staff["officer"], ago(weeks=10), warn=True)
    officer = signed_in("officer")
    path = f"/cases/{case.id}"
    submit(client, path, f"{path}/propose", {"trigger": "intend_naming"}, reason="Still slow")
    proposal = session.scalar(sa.select(Proposal))
    assert proposal.proposed_by_id == officer.id and proposal.params == {"reaction_weeks": 2}
    page = client.get(path).get_data(as_text=True)
    approve_url = f"/cases/proposals/{proposal.id}/approve"
    assert find_form(page, approve_url) is None
    forged = client.post(
        approve_url,
        data={"csrf_token": find_form(page, f"{path}/act").fields["csrf_token"], "version": "3"},
    )
    assert forged.status_code == 403
    auth.logout()
    signed_in("supervisor")
    approved = submit(client, path, approve_url, note="Agreed")
    page = text_of(client.get(approved.headers["Location"]))
    assert "Approved: Announce public naming: its naming intent letter is drafted" in page
    session.expire_all()
    assert session.get(Case, case.id).stage == Stage.WARNING  # until its letter is issued
    assert session.get(Proposal, proposal.id).status == "approved"


def test_a_supervisor_cannot_approve_their_own_proposal(
    client, signed_in, session, slowhost, staff
):
    case = open_at(session, slowhost, staff["officer"], ago(weeks=10), warn=True)
    supervisor = signed_in("supervisor")
    path = f"/cases/{case.id}"
    submit(client, path, f"{path}/propose", {"trigger": "intend_naming"}, reason="Slow")
    proposal = session.scalar(sa.select(Proposal))
    assert proposal.proposed_by_id == supervisor.id
    page = client.get(path).get_data(as_text=True)
    assert find_form(page, f"/cases/proposals/{proposal.id}/approve") is None
    events = count(session, CaseEvent)
    form = find_form(page, f"{path}/act", trigger="close")  # any form: its token and version
    forged = client.post(
        f"/cases/proposals/{proposal.id}/approve",
        follow_redirects=True,
        data={"csrf_token": form.fields["csrf_token"], "version": form.fields["version"]},
    )
    assert "Four eyes: the proposer cannot decide on their own proposal." in text_of(forged)
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == "pending"
    assert session.get(Case, case.id).stage == Stage.WARNING
    assert count(session, CaseEvent) == events


def test_a_stale_page_changes_nothing(client, signed_in, session, slowhost, staff):
    case = open_at(session, slowhost, staff["officer"], ago(days=1))
    signed_in("officer")
    path = f"/cases/{case.id}"
    stale = find_form(client.get(path).get_data(as_text=True), f"{path}/act", trigger="close")
    take(session, case, Trigger.SEND_WARNING, staff, utcnow(), actor=staff["officer2"])
    session.commit()
    events = count(session, CaseEvent)
    fields = {**stale.fields, "close_reason": "withdrawn", "reason": "Mistake"}
    response = client.post(f"{path}/act", data=fields, follow_redirects=True)
    assert CASE_CHANGED in text_of(response)
    session.expire_all()
    assert session.get(Case, case.id).stage == Stage.WARNING
    assert count(session, CaseEvent) == events


def test_a_refused_step_says_which_condition_failed(client, signed_in, session, slowhost, staff):
    case = open_at(session, slowhost, staff["officer"], ago(weeks=2), warn=True)
    signed_in("officer")
    path = f"/cases/{case.id}"
    response = submit(client, path, f"{path}/propose", {"trigger": "intend_naming"}, reason="Slow")
    window = session.scalar(sa.select(Deadline).where(Deadline.kind == "improvement_window"))
    until = format_local(window.due_at, "%A %d %B %Y")
    page = text_of(client.get(response.headers["Location"]))
    assert (
        f"Announce public naming is not possible yet: The improvement window runs until "
        f"{until}." in page
    )
    assert count(session, Proposal) == 0


def named_case(session, hoster, staff):
    """A case named publicly four weeks ago, after a warning 16 weeks ago."""
    case = open_at(session, hoster, staff["officer"], ago(weeks=16), warn=True)
    for trigger, at, params in [
        (Trigger.INTEND_NAMING, ago(weeks=7), {}),
        (Trigger.NAME_PUBLICLY, ago(weeks=4), {"reaction": "none"}),
    ]:
        proposal = propose(
            session, case, trigger, actor=staff["officer"], reason="Slow", params=params, now=at
        )
        approve_now(session, proposal, staff, at)
    session.commit()
    return case


def test_legal_registers_an_objection_and_upholds_it(client, signed_in, session, slowhost, staff):
    case = named_case(session, slowhost, staff)
    decision = session.scalar(sa.select(Decision))
    signed_in("legal")
    path = f"/cases/{case.id}"
    received = (utcnow().astimezone(LOCAL_TZ).date() - timedelta(days=7)).isoformat()
    submit(client, path, f"/cases/decisions/{decision.id}/objections", received_on=received,
           objector="Slowhost B.V.", grounds="Our reaction was not weighed.")  # fmt: skip
    page = text_of(client.get(path))
    assert "Objection registered (on time)" in page and "Our reaction was not weighed." in page
    objection_id = re.search(r'id="objection-(\d+)"', page).group(1)
    decide = f"/cases/objections/{objection_id}/decide"
    response = submit(client, path, decide, outcome="upheld", reason="Not weighed indeed")
    assert "Hear the objector first" in text_of(client.get(response.headers["Location"]))
    submit(client, path, f"/cases/objections/{objection_id}/hearing", held_on=received,
           report="The objector repeated its reaction.")  # fmt: skip
    response = submit(client, path, decide, outcome="upheld", reason="The reaction was not weighed")
    page = text_of(client.get(response.headers["Location"]))
    assert "Objection decided: upheld" in page and "Waiting for its letter" in page
    session.expire_all()
    assert session.get(Case, case.id).stage == Stage.NAMED  # until the decision is issued
    letter = session.scalar(sa.select(Letter).where(Letter.kind == "objection_decision"))
    response = submit(client, f"/letters/{letter.id}", f"/letters/{letter.id}/issue")
    assert "Issued as" in text_of(client.get(response.headers["Location"]))
    session.expire_all()
    assert session.get(Case, case.id).stage == Stage.WARNING
    assert session.get(Decision, decision.id).revoked
    assert "revoked" in text_of(client.get(path))


def test_a_deadline_extension_needs_a_reason(client, signed_in, session, slowhost, staff):
    case = open_at(session, slowhost, staff["officer"], ago(weeks=1), warn=True)
    window = session.scalar(sa.select(Deadline))
    due = window.due_at
    signed_in("legal")
    path, action = f"/cases/{case.id}", f"/cases/deadlines/{window.id}"
    later = (due.astimezone(LOCAL_TZ).date() + timedelta(weeks=2)).isoformat()
    refused = submit(client, path, action, {"action": "extend"}, new_due_on=later, reason=" ")
    assert "Give the reason for changing this deadline." in text_of(
        client.get(refused.headers["Location"])
    )
    session.expire_all()
    assert session.get(Deadline, window.id).due_at == due
    submit(client, path, action, {"action": "extend"}, new_due_on=later, reason="Data outage")
    session.expire_all()
    assert session.get(Deadline, window.id).due_at == end_of_day(date.fromisoformat(later))


def test_forged_and_malformed_posts_change_nothing(client, signed_in, session, slowhost, staff):
    case = named_case(session, slowhost, staff)
    signed_in("legal")
    path = f"/cases/{case.id}"
    form = find_form(client.get(path).get_data(as_text=True), f"{path}/propose")
    revoke = {**form.fields, "trigger": "revoke"}  # only an upheld objection revokes
    page = text_of(client.post(f"{path}/act", data=revoke, follow_redirects=True))
    assert "This form cannot take that step." in page
    weeks = {**form.fields, "view_weeks": "many"}
    page = text_of(client.post(f"{path}/propose", data=weeks, follow_redirects=True))
    assert "Term for the hoster's view (weeks): Not a valid integer value." in page
    no_version = {**form.fields, "version": ""}
    page = text_of(client.post(f"{path}/propose", data=no_version, follow_redirects=True))
    assert "The form was incomplete. Reload the page and try again." in page
    assert client.post("/cases/999/act", data=form.fields).status_code == 404
    assert client.get("/cases/99999999999999999999").status_code == 404
    session.expire_all()
    assert session.get(Case, case.id).stage == Stage.NAMED
    assert session.scalar(sa.select(Proposal).where(Proposal.status == "pending")) is None


def test_an_admin_reads_a_case_without_forms_or_urls(client, signed_in, session, slowhost, staff):
    case = open_at(session, slowhost, staff["officer"], ago(weeks=1), warn=True)
    signed_in("admin")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Slowhost" in page and "Improvement window" in page
    assert [form.action for form in forms_on(page)] == ["/sign-out"]
    assert "files.example.test" not in page  # never a notice URL on a case page
