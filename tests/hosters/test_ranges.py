import ipaddress

import pytest

from enforcement.hosters.ranges import RangeTable, find_overlaps, parse_cidr, parse_cidr_list


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("192.0.2.0/24", "192.0.2.0/24"),
        (" 198.51.100.128/25 ", "198.51.100.128/25"),
        ("2001:DB8:0:0::/32", "2001:db8::/32"),
        ("203.0.113.7/32", "203.0.113.7/32"),
    ],
)
def test_parse_cidr_normalizes(text, expected):
    assert str(parse_cidr(text)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("192.0.2.5/24", "host bits set; did you mean 192.0.2.0/24?"),
        ("192.0.2.0", "no prefix length"),
        ("192.0.2.0/33", "not a valid"),
        ("300.1.1.0/24", "not a valid"),
        ("example.test/24", "not a valid"),
        ("2001:db8::1/32", "did you mean 2001:db8::/32?"),
    ],
)
def test_parse_cidr_explains_errors(text, message):
    with pytest.raises(ValueError, match=message.replace("?", r"\?")):
        parse_cidr(text)


def test_parse_cidr_list_splits_dedupes_and_collects_errors():
    networks, errors = parse_cidr_list("192.0.2.0/24, 2001:db8::/32\n192.0.2.0/24 bad/1")
    assert [str(n) for n in networks] == ["192.0.2.0/24", "2001:db8::/32"]
    assert errors == ["'bad/1' is not a valid IPv4 or IPv6 range"]


@pytest.mark.parametrize(
    ("new", "existing", "kind"),
    [
        ("192.0.2.0/24", "192.0.2.0/24", "identical"),
        ("192.0.2.0/26", "192.0.2.0/24", "inside"),
        ("192.0.2.0/23", "192.0.2.0/24", "contains"),
        ("2001:db8:1::/48", "2001:db8::/32", "inside"),
    ],
)
def test_find_overlaps_classifies(new, existing, kind):
    [overlap] = find_overlaps([parse_cidr(new)], [(parse_cidr(existing), "Other")])
    assert overlap.kind == kind
    assert overlap.owner == "Other"


def test_find_overlaps_ignores_disjoint_and_other_family():
    existing = [(parse_cidr("192.0.2.0/24"), "A"), (parse_cidr("2001:db8::/32"), "B")]
    assert find_overlaps([parse_cidr("198.51.100.0/24")], existing) == []
    assert find_overlaps([parse_cidr("::ffff:192.0.2.0/120")], existing) == []


@pytest.mark.parametrize(
    ("address", "owner"),
    [
        ("192.0.2.1", "wholesale"),
        ("192.0.2.130", "reseller"),  # inside the more specific /25
        ("192.0.2.131", "end customer"),  # inside the even more specific /32
        ("198.51.100.1", None),
        ("2001:db8:1:2::1", "v6 reseller"),
        ("2001:db8:ffff::1", "v6 wholesale"),
        ("0.0.0.1", "default"),
    ],
)
def test_range_table_picks_longest_prefix(address, owner):
    table = RangeTable(
        [
            (ipaddress.ip_network("192.0.2.0/24"), "wholesale"),
            (ipaddress.ip_network("192.0.2.128/25"), "reseller"),
            (ipaddress.ip_network("192.0.2.131/32"), "end customer"),
            (ipaddress.ip_network("2001:db8::/32"), "v6 wholesale"),
            (ipaddress.ip_network("2001:db8:1::/48"), "v6 reseller"),
            (ipaddress.ip_network("0.0.0.0/8"), "default"),
        ]
    )
    assert table.lookup(address) == owner


def test_range_table_zero_prefix_matches_everything_of_its_family():
    table = RangeTable([(ipaddress.ip_network("0.0.0.0/0"), "all")])
    assert table.lookup("203.0.113.9") == "all"
    assert table.lookup("2001:db8::1") is None
