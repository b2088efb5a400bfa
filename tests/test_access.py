"""Who may use which page: one table for every route, checked against the code and by requests."""

import hashlib
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from enforcement.auth.models import Role, User
from enforcement.cases.events import append_event
from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.models import (
    Case,
    Deadline,
    Decision,
    Objection,
    PendingStep,
    Proposal,
)
from enforcement.core.time import utcnow
from enforcement.core.web import API_TOKEN, PUBLIC, view_access
from enforcement.fines.models import FineCategoryAmounts
from enforcement.holidays.models import DecreedHoliday
from enforcement.hosters.models import Hoster, Language
from enforcement.letters.models import Letter, LetterStatus, LetterTemplate
from enforcement.letters.render import template_source
from enforcement.notices.models import Notice, NoticeSource
from enforcement.orders.models import (
    OrderOrigin,
    OrderStatus,
    RemovalOrder,
    RemovalOrderItem,
    Violation,
)
from enforcement.public.models import Appeal, InterimRelief
from tests.conftest import Auth, csrf_token_from
from tests.letters.samples import sample_context

ALL_STAFF = {"officer", "legal", "supervisor", "admin"}
EDITORS = {"officer", "legal", "supervisor"}
ADMIN = {"admin"}
HOLIDAY_MANAGERS = {"supervisor", "admin"}
ORDER_READERS = {"officer", "legal", "supervisor"}  # the pages show URLs: not for admins

# "public": anyone. "api-token": a bearer token, checked by the view; a signed-in session is not
# enough. Otherwise: the roles whose signed-in users may use the route.
EXPECTED_ACCESS: dict[str, str | set[str]] = {
    "api.post_notices": "api-token",
    "auth.home": ALL_STAFF,
    "auth.sign_in_page": "public",
    "auth.sign_out": ALL_STAFF,
    "cases.index": ALL_STAFF,
    "cases.detail": ALL_STAFF,
    "cases.queue": {"supervisor"},
    "cases.open": {"officer"},
    "cases.act": EDITORS,
    "cases.propose": EDITORS,
    "cases.approve": {"supervisor"},
    "cases.refuse": {"supervisor"},
    "cases.pending_withdraw": EDITORS,
    "cases.objection_register": {"legal"},
    "cases.view_record": {"legal"},
    "cases.fine_basis": {"legal", "supervisor"},
    "cases.objection_defer": {"legal"},
    "cases.objection_hearing": {"legal"},
    "cases.objection_decide": {"legal"},
    "cases.deadline_change": {"legal", "supervisor"},
    "letters.index": ALL_STAFF,
    "letters.detail": EDITORS,  # a letter can list URLs: not for admins
    "letters.preview_html": EDITORS,
    "letters.pdf": EDITORS,
    "letters.draft": {"officer", "legal"},
    "letters.regenerate": {"officer", "legal"},
    "letters.issue": {"legal"},
    "letters.correct": {"officer", "legal"},
    "holidays.index": ALL_STAFF,
    "fines.index": ALL_STAFF,
    "fines.add": HOLIDAY_MANAGERS,
    "fines.remove": HOLIDAY_MANAGERS,
    "holidays.add": HOLIDAY_MANAGERS,
    "holidays.remove": HOLIDAY_MANAGERS,
    "hosters.index": ALL_STAFF,
    "hosters.detail": ALL_STAFF,
    "hosters.create": EDITORS,
    "hosters.edit": EDITORS,
    "metrics.candidates": EDITORS,
    "metrics.policy": ALL_STAFF,
    "metrics.policy_update": {"supervisor"},
    "notices.upload": {"officer", "supervisor"},
    "orders.index": ORDER_READERS,
    "orders.hoster": ORDER_READERS,
    "orders.new": {"officer", "legal"},
    "orders.detail": ORDER_READERS,
    "orders.issue": {"legal"},
    "orders.discard": {"officer", "legal"},
    "orders.drop_offline": {"officer", "legal"},
    "orders.receipt": {"legal"},
    "orders.establish": ORDER_READERS,
    "orders.withdraw_violation": {"legal", "supervisor"},
    "orders_api.compliance": ORDER_READERS,
    "sanctions.index": ORDER_READERS,
    "sanctions.order": ORDER_READERS,
    "sanctions.confirm": {"supervisor"},
    "sanctions.draft_collection": {"legal"},
    "sanctions.approve_collection": {"supervisor"},
    "sanctions.refuse_collection": {"supervisor"},
    "sanctions.claim": ORDER_READERS,
    "sanctions.pay": {"legal", "supervisor"},
    "sanctions.remind": {"legal"},
    "sanctions.overdue": {"legal", "supervisor"},
    "sanctions.report_page": ORDER_READERS,
    "users.index": ADMIN,
    "users.create": ADMIN,
    "users.detail": ADMIN,
    "users.change_role": ADMIN,
    "users.set_active": ADMIN,
    "public.home": "public",
    "public.report": "public",
    "public.methodology": "public",
    "public.decisions": "public",
    "public.data": "public",
    "public.feed": "public",
    "public.dataset_file": "public",
    "public.dataset_checksum": "public",
    "public_staff.relief_new": {"legal"},
    "public_staff.relief_decide": {"legal"},
    "public_staff.appeal_new": {"legal"},
    "public_staff.appeal_decide": {"legal"},
    "public_staff.naming_response": {"legal"},
}

IDENTITIES = [None, *Role]  # None is an anonymous visitor


def declared(expected: str | set[str] | None) -> str | frozenset[str] | None:
    """Return a table row in the form view_access reports it."""
    if expected is None:
        return None
    if isinstance(expected, set):
        return frozenset(expected)
    return {"public": PUBLIC, "api-token": API_TOKEN}[expected]


def app_endpoints(app) -> set[str]:
    """Return every endpoint the app routes to, except static files."""
    return {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}


def test_every_route_has_a_row_in_the_table(app):
    assert app_endpoints(app) == set(EXPECTED_ACCESS)


def test_every_view_declares_what_the_table_says(app):
    actual = {endpoint: view_access(app, endpoint) for endpoint in app_endpoints(app)}
    wanted = {endpoint: declared(EXPECTED_ACCESS.get(endpoint)) for endpoint in actual}
    assert actual == wanted


def url_values(session) -> dict[str, int | str]:
    """Create one row of each kind a URL can name; return the URL parameters that name them."""
    target = User(
        email="target@authority.example.test", password_hash="unusable", role=Role.OFFICER
    )
    hoster = Hoster(
        kvk="12345678",
        trade_name="Access Host",
        legal_name="Access Host B.V.",
        country="NL",
        formal_email="legal@access-host.example.test",
        abuse_contact="abuse@access-host.example.test",
        language=Language.NL,
    )
    holiday = DecreedHoliday(
        day=date(2026, 5, 15), name="Friday after Ascension Day", decree="Test"
    )
    session.add_all([target, hoster, holiday])
    session.commit()
    cases = case_values(session, hoster, target)
    return {
        "user_id": target.id,
        "hoster_id": hoster.id,
        "holiday_id": holiday.id,
        "row_id": session.scalar(sa.select(FineCategoryAmounts.id)),
        **cases,
        "letter_id": issued_letter(session, cases["case_id"], target, hoster.id),
        **order_values(session, hoster),
        # No such collection decision or claim: the money routes answer 404 past the guard.
        "collection_id": 1,
        "kind": "fine",
        "claim_id": 1,
    }


def order_values(session, hoster: Hoster) -> dict[str, int | str]:
    """Store an imported, received removal order with one violated item and its violation."""
    now = utcnow()
    source = NoticeSource(name="access-hotline")
    session.add(source)
    session.flush()
    notice = Notice(source_id=source.id, external_id="access-1", hoster_id=hoster.id,
                    url="https://files.example.test/access.jpg", ip="192.0.2.7",
                    notice_sent_at=now - timedelta(days=3))  # fmt: skip
    session.add(notice)
    session.flush()
    order = RemovalOrder(
        reference="ACCESS-BEVEL-1", hoster_id=hoster.id, origin=OrderOrigin.IMPORTED,
        status=OrderStatus.ISSUED, term_hours=12, issued_at=now - timedelta(days=2),
        received_at=now - timedelta(days=2), due_at=now - timedelta(days=2) + timedelta(hours=12),
        receipt_evidence="imported", drafted_at=now - timedelta(days=2),
        items=[RemovalOrderItem(notice_id=notice.id, url=notice.url, ip=notice.ip)],
    )  # fmt: skip
    session.add(order)
    session.flush()
    violation = Violation(order_id=order.id, item_id=order.items[0].id, hoster_id=hoster.id,
                          due_at=order.due_at, established_at=now, evidence={})  # fmt: skip
    session.add(violation)
    session.commit()
    return {"order_id": order.id, "violation_id": violation.id, "reference": order.reference}


def issued_letter(session, case_id: int, user: User, hoster_id: int) -> int:
    """Store an issued letter (a stand-in PDF, the real templates); its POST routes refuse it."""
    snapshot, digest = template_source("warning", "nl")
    session.add(LetterTemplate(sha256=digest, source=snapshot))
    pdf = b"%PDF-1.7 access test"
    letter = Letter(
        hoster_id=hoster_id,
        case_id=case_id,
        kind="warning",
        language=Language.NL,
        status=LetterStatus.ISSUED,
        kenmerk="ENF-2026-999999",
        context=sample_context(kenmerk="ENF-2026-999999"),
        template_sha256=digest,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        created_by_id=user.id,
        issued_by_id=user.id,
        issued_at=utcnow(),
    )
    session.add(letter)
    session.commit()
    return letter.id


def case_values(session, hoster: Hoster, officer: User) -> dict[str, int]:
    """Create a named case with a decision, an objection, a deadline and a pending proposal."""
    now = utcnow()
    case = Case(
        hoster=hoster,
        stage=Stage.NAMED,
        opened_by_id=officer.id,
        opened_at=now,
        opening_reason="Access test",
        opening_figures={},
        updated_at=now,
    )
    session.add(case)
    session.flush()
    event = append_event(session, case, kind="opened", actor=officer, to_stage=Stage.NAMED)
    decision = Decision(
        case_id=case.id,
        kind="naming_decision",
        event_id=event.id,
        made_known_at=now,
        return_stage=Stage.WARNING,
    )
    session.add(decision)
    session.flush()
    rows = {
        "decision_id": decision,
        "deadline_id": Deadline(
            case_id=case.id,
            kind="reaction_period",
            legal_source="Test",
            starts_at=now,
            due_at=now + timedelta(days=14),
        ),
        "objection_id": Objection(
            decision_id=decision.id,
            received_on=now.date(),
            on_time=True,
            decision_due_on=now.date(),
            registered_by_id=officer.id,
        ),
        "pending_id": PendingStep(
            case_id=case.id,
            trigger=Trigger.INTEND_PENALTY,
            from_stage=Stage.NAMED,
            params={},
            facts={},
            prepared_by_id=officer.id,
            prepared_at=now,
        ),
        "proposal_id": Proposal(
            case_id=case.id,
            trigger=Trigger.INTEND_PENALTY,
            from_stage=Stage.NAMED,
            params={},
            reason="Access test",
            proposed_by_id=officer.id,
        ),
    }
    session.add_all(rows.values())
    session.commit()
    public = {
        "relief_id": InterimRelief(decision_id=decision.id, requested_at=now,
                                   recorded_by_id=officer.id),
        "appeal_id": Appeal(decision_id=decision.id, lodged_on=now.date(),
                            recorded_by_id=officer.id),
    }  # fmt: skip
    session.add_all(public.values())
    session.commit()
    rows.update(public)
    return {"case_id": case.id, "lang": "nl", "dataset": "decisions", "fmt": "csv",
            **{name: row.id for name, row in rows.items()}}  # fmt: skip


def request_route(client, app, rule, values: dict[str, int]):
    """GET a route that accepts GET; otherwise POST to it with a valid CSRF token and no fields."""
    url = app.url_map.bind("localhost").build(
        rule.endpoint, {name: values[name] for name in rule.arguments}
    )
    if "GET" in rule.methods:
        return client.get(url)
    token = csrf_token_from(client.get("/sign-in").text)
    return client.post(url, data={"csrf_token": token})


def is_sign_in_bounce(response) -> bool:
    """Return whether the access guard sent the visitor to sign in."""
    location = response.headers.get("Location", "")
    return response.status_code == 302 and location.startswith("/sign-in?next=")


def access_problem(
    expected: str | set[str], role: Role | None, response, *, api: bool = False
) -> str | None:
    """Return what is wrong with an answer for this identity, or None when it is right.

    An anonymous call to a staff route of the JSON API gets a JSON 401, not a redirect.
    """
    status = response.status_code
    if expected == "public":
        return None if status == 200 else f"public page answered {status}"
    if expected == "api-token":
        return None if status == 401 else f"API without a token answered {status}, not 401"
    if role is None and api:
        return None if status == 401 and response.is_json else f"anonymous API call got {status}"
    if role is None:
        return None if is_sign_in_bounce(response) else f"anonymous got {status}, not sign-in"
    if role.value not in expected:
        return None if status == 403 else f"unauthorized {role.value} got {status}, not 403"
    if status == 403 or status >= 500 or is_sign_in_bounce(response):
        return f"authorized {role.value} got {status} {response.headers.get('Location', '')}"
    return None


@pytest.mark.parametrize("role", IDENTITIES, ids=lambda role: role.value if role else "anonymous")
def test_each_route_answers_each_identity_as_the_table_says(app, session, create_user, role):
    values = url_values(session)
    client = app.test_client()
    if role is not None:
        assert Auth(client).login(create_user(role).email).status_code == 302
    # Signing out ends the session the other requests need, so it goes last.
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint in EXPECTED_ACCESS]
    rules.sort(key=lambda rule: (rule.endpoint == "auth.sign_out", rule.endpoint))
    problems = []
    for rule in rules:
        response = request_route(client, app, rule, values)
        api = rule.rule.startswith("/api/")
        problem = access_problem(EXPECTED_ACCESS[rule.endpoint], role, response, api=api)
        if problem:
            problems.append(f"{rule.endpoint}: {problem}")
    assert problems == []
