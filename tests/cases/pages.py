"""For the page tests: submit forms as a browser would (hidden fields, defaults, CSRF token),
and place cases and notices relative to the real clock."""

import html
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest

from enforcement.cases.ladder import Trigger
from enforcement.cases.models import Case
from enforcement.cases.queries import current_figures
from enforcement.cases.services import open_case, pending_step
from enforcement.casework.steps import act, complete_step
from enforcement.core.time import utcnow
from tests.orders.factories import add_violations


@dataclass
class Form:
    action: str
    attrs: dict[str, str]
    fields: dict[str, str] = field(default_factory=dict)


class FormParser(HTMLParser):
    """Collect every form on a page with the values a browser would send by default."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        form = self.forms[-1] if self.forms else None
        if tag == "form":
            self.forms.append(Form(attrs.get("action", ""), attrs))
        elif form is None or "name" not in attrs:
            return
        elif tag == "input" and (attrs.get("type") != "checkbox" or "checked" in attrs):
            form.fields[attrs["name"]] = attrs.get("value", "y" if "checked" in attrs else "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            form.fields[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
        selecting = tag == "option" and self._select and form is not None
        if selecting and (self._select not in form.fields or "selected" in attrs):
            form.fields[self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self.forms[-1].fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_on(page: str) -> list[Form]:
    parser = FormParser()
    parser.feed(page)
    return parser.forms


def find_form(page: str, url: str, **attrs: str) -> Form | None:
    """Return the form posting to ``url`` whose attributes (and hidden fields) match."""
    for form in forms_on(page):
        values = {**{k.replace("-", "_"): v for k, v in form.attrs.items()}, **form.fields}
        if form.action == url and all(values.get(k) == v for k, v in attrs.items()):
            return form
    return None


def submit(client, page_path: str, action: str, match: dict | None = None, **fields):
    """Open a page, fill in its form for ``action`` and post it; fails when the form is absent."""
    page = client.get(page_path).get_data(as_text=True)
    form = find_form(page, action, **(match or {}))
    assert form is not None, f"no form for {action} {match or ''} on {page_path}"
    return client.post(action, data={**form.fields, **fields})


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# Fixtures and helpers for the page tests; data is placed relative to the real clock, because the
# pages measure and count days as of now.


def ago(**period: float) -> datetime:
    return utcnow() - timedelta(**period)


@pytest.fixture
def slow_notices(session, add_notices):
    """Factory: notices every 12 h over the last 20 weeks, half of them taken down after 30 h,
    and three items of a removal order left online past its term two days ago (violations)."""

    def factory(hoster):
        now = utcnow()
        moments = []
        for half_day in range(1, 20 * 14):
            sent = now - timedelta(hours=12 * half_day)
            moments.append((sent, sent + timedelta(hours=30 if half_day % 2 else 2), None))
        add_notices(hoster, moments)
        add_violations(session, hoster, due_at=now - timedelta(days=2),
                       reference=f"EXT-BEVEL-{hoster.kvk}")  # fmt: skip
        return hoster

    return factory


@pytest.fixture
def slowhost(create_hoster, slow_notices):
    return slow_notices(create_hoster(1, trade_name="Slowhost"))


def open_at(session, hoster, officer, at: datetime, *, warn: bool = False) -> Case:
    """Open a case at a past moment, and send the warning at that moment too when asked (the
    warning completed as its letter's issue completes it: see tests/cases/conftest.complete)."""
    case = open_case(
        session,
        hoster,
        actor=officer,
        reason="Breaches the policy",
        opening_figures=current_figures(session, hoster.id, at).frozen(),
        breaches=True,
        now=at,
    )
    if warn:
        act(session, case, Trigger.SEND_WARNING, actor=officer, now=at)
        complete_step(session, pending_step(session, case), actor=officer, now=at, record={})
    session.commit()
    return case
