import pytest
import sqlalchemy as sa

from enforcement.core.errors import Conflict, FieldErrors
from enforcement.hosters.models import Hoster, HosterChange, HosterIpRange
from enforcement.hosters.services import save_hoster, search_hosters_query
from tests.hosters.conftest import hoster_fields


def field_errors(session, **overrides) -> dict[str, list[str]]:
    with pytest.raises(FieldErrors) as caught:
        save_hoster(session, hoster_fields(1, **overrides), actor=None)
    session.rollback()
    assert session.scalar(sa.select(sa.func.count(Hoster.id))) == 0
    return caught.value.errors


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kvk", "1234567", "exactly 8 digits (leading zeros lost?)"),
        ("kvk", "1234567A", "exactly 8 digits"),
        ("kvk", "123456789", "exactly 8 digits"),
        ("kvk", "", "required"),
        ("formal_email", "legal-at-host.example.test", "not a valid e-mail address"),
        ("abuse_contact", "abuse@", "not a valid e-mail address"),
        ("country", "XX", "two-letter ISO 3166"),
        ("country", "Netherlands", "two-letter ISO 3166"),
        ("language", "de", "Choose nl or en"),
        ("legal_name", "   ", "required"),
        ("trade_name", "x" * 201, "At most 200"),
        ("ip_ranges", "192.0.2.1/24", "did you mean 192.0.2.0/24"),
        ("ip_ranges", "not-a-range", "no prefix length"),
    ],
)
def test_invalid_field_is_refused_with_a_message_for_that_field(session, field, value, message):
    errors = field_errors(session, **{field: value})
    assert list(errors) == [field]
    assert message in errors[field][0]


def test_every_bad_field_is_reported_at_once(session):
    errors = field_errors(session, kvk="12", formal_email="nope", country="ZZ")
    assert set(errors) == {"kvk", "formal_email", "country"}


def test_values_are_normalized(session):
    result = save_hoster(
        session,
        hoster_fields(
            1,
            kvk=" 00012345 ",
            country="nl",
            formal_email="Legal@Host1.Example.Test",
            language="EN",
            ip_ranges="2001:DB8::/32 192.0.2.0/24 192.0.2.0/24",
        ),
        actor=None,
    )
    hoster = result.hoster
    assert (hoster.kvk, hoster.country, hoster.formal_email, hoster.language.value) == (
        "00012345",
        "NL",
        "legal@host1.example.test",
        "en",
    )
    assert [r.cidr for r in hoster.ip_ranges] == ["192.0.2.0/24", "2001:db8::/32"]


def test_duplicate_kvk_is_refused_naming_the_holder(session, create_hoster):
    create_hoster(1, kvk="11111111", trade_name="First Host")
    with pytest.raises(FieldErrors) as caught:
        save_hoster(session, hoster_fields(2, kvk="11111111"), actor=None)
    assert "already registered to First Host" in caught.value.errors["kvk"][0]


def test_identical_range_on_another_hoster_is_refused_naming_it(session, create_hoster):
    create_hoster(1, ip_ranges="192.0.2.0/24", trade_name="Wholesale")
    with pytest.raises(FieldErrors) as caught:
        save_hoster(session, hoster_fields(2, ip_ranges="192.0.2.0/24"), actor=None)
    session.rollback()
    assert caught.value.errors["ip_ranges"] == [
        "192.0.2.0/24 is already announced by Wholesale (KvK 00000001)."
    ]
    assert session.scalar(sa.select(sa.func.count(Hoster.id))) == 1


@pytest.mark.parametrize(
    ("new_range", "words"),
    [("192.0.2.128/25", "lies inside 192.0.2.0/24"), ("192.0.0.0/16", "contains 192.0.2.0/24")],
)
def test_nested_range_is_accepted_with_a_notice(session, create_hoster, new_range, words):
    create_hoster(1, ip_ranges="192.0.2.0/24", trade_name="Wholesale")
    result = save_hoster(session, hoster_fields(2, ip_ranges=new_range), actor=None)
    assert len(result.notices) == 1
    assert words in result.notices[0] and "Wholesale" in result.notices[0]
    assert session.scalar(sa.select(sa.func.count(HosterIpRange.id))) == 2


def test_a_hoster_may_keep_its_own_ranges_on_edit(session, create_hoster):
    hoster = create_hoster(1, ip_ranges="192.0.2.0/24")
    result = save_hoster(
        session, hoster_fields(1, ip_ranges="192.0.2.0/24"), actor=None, hoster=hoster
    )
    assert result.changes == {}
    assert result.notices == []


def test_changes_are_recorded_with_actor_and_old_and_new_values(
    session, create_hoster, create_user
):
    officer = create_user("officer")
    hoster = create_hoster(1, actor=officer, ip_ranges="192.0.2.0/28")
    save_hoster(
        session,
        hoster_fields(1, legal_name="Renamed B.V.", ip_ranges="192.0.2.0/28 2001:db8::/32"),
        actor=officer,
        hoster=hoster,
    )
    session.commit()
    created, updated = session.scalars(sa.select(HosterChange).order_by(HosterChange.id)).all()
    assert created.action == "created" and created.changes["kvk"] == [None, "00000001"]
    assert updated.action == "updated" and updated.actor_id == officer.id
    assert updated.changes == {
        "legal_name": ["Host 1 B.V.", "Renamed B.V."],
        "ip_ranges": [["192.0.2.0/28"], ["192.0.2.0/28", "2001:db8::/32"]],
    }
    assert updated.changed_at.tzinfo is not None


def test_saving_identical_values_records_nothing(session, create_hoster):
    hoster = create_hoster(1)
    version = hoster.version
    result = save_hoster(session, hoster_fields(1), actor=None, hoster=hoster)
    session.commit()
    assert result.changes == {}
    assert hoster.version == version
    assert session.scalar(sa.select(sa.func.count(HosterChange.id))) == 1


def test_a_stale_edit_is_refused_and_changes_nothing(session, create_hoster):
    hoster = create_hoster(1)
    stale_version = hoster.version
    save_hoster(session, hoster_fields(1, trade_name="First edit"), actor=None, hoster=hoster)
    session.commit()
    with pytest.raises(Conflict, match="Someone else changed this hoster"):
        save_hoster(
            session,
            hoster_fields(1, trade_name="Second edit"),
            actor=None,
            hoster=hoster,
            expected_version=stale_version,
        )
    session.rollback()
    assert session.get(Hoster, hoster.id).trade_name == "First edit"


def test_removing_a_range_frees_it_for_another_hoster(session, create_hoster):
    first = create_hoster(1, ip_ranges="192.0.2.0/24")
    save_hoster(session, hoster_fields(1, ip_ranges=""), actor=None, hoster=first)
    session.commit()
    second = save_hoster(session, hoster_fields(2, ip_ranges="192.0.2.0/24"), actor=None).hoster
    assert [r.cidr for r in second.ip_ranges] == ["192.0.2.0/24"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alder", ["Alderhost"]),
        ("0000000", ["Alderhost", "Bluefin"]),
        ("192.0.2", ["Bluefin"]),
        ("B.V.", ["Alderhost", "Bluefin"]),
        ("nothing", []),
    ],
)
def test_search_matches_names_kvk_and_ranges(session, create_hoster, text, expected):
    create_hoster(1, trade_name="Alderhost", ip_ranges="198.51.100.0/28")
    create_hoster(2, trade_name="Bluefin", ip_ranges="192.0.2.0/28")
    found = session.scalars(search_hosters_query(text)).all()
    assert [h.trade_name for h in found] == expected
