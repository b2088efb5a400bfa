import pytest

from tests.hosters.conftest import create_hoster  # noqa: F401  (fixture)


@pytest.fixture
def two_hosters(create_hoster):  # noqa: F811  (the imported fixture)
    """A wholesale hoster with 192.0.2.0/24 and a reseller inside it with 192.0.2.128/25."""
    wholesale = create_hoster(1, trade_name="Wholesale", ip_ranges="192.0.2.0/24 2001:db8::/32")
    reseller = create_hoster(2, trade_name="Reseller", ip_ranges="192.0.2.128/25")
    return wholesale, reseller
