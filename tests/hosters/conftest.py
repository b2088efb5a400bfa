import pytest

from enforcement.hosters.services import save_hoster


def hoster_fields(number: int = 1, **overrides) -> dict:
    """Valid registry fields for a synthetic hoster; override any of them."""
    fields = {
        "kvk": f"{number:08d}",
        "trade_name": f"Host {number}",
        "legal_name": f"Host {number} B.V.",
        "country": "NL",
        "postal_address": f"Demostraat {number}\n1000 AB Voorbeeldstad",
        "formal_email": f"legal@host{number}.example.test",
        "abuse_contact": f"abuse@host{number}.example.test",
        "language": "nl",
        "ip_ranges": f"198.51.100.{number * 16 % 256}/28",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def create_hoster(session):
    """Factory: register a hoster through the service and commit it."""

    def factory(number: int = 1, actor=None, **overrides):
        result = save_hoster(session, hoster_fields(number, **overrides), actor=actor)
        session.commit()
        return result.hoster

    return factory
