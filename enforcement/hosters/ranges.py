"""IP ranges: parsing CIDR notation, spotting overlaps, attributing an address (longest prefix)."""

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_cidr(text: str) -> Network:
    """Parse one CIDR range, or raise ValueError saying what is wrong with it."""
    text = text.strip()
    if "/" not in text:
        raise ValueError(f"{text!r} has no prefix length (write it as e.g. 192.0.2.0/24)")
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        if "host bits set" in str(exc):
            fixed = ipaddress.ip_network(text, strict=False)
            raise ValueError(f"{text!r} has host bits set; did you mean {fixed}?") from None
        raise ValueError(f"{text!r} is not a valid IPv4 or IPv6 range") from None


def parse_cidr_list(text_or_items: str | Iterable[str]) -> tuple[list[Network], list[str]]:
    """Parse ranges separated by white space or commas; return (sorted unique ranges, errors)."""
    if isinstance(text_or_items, str):
        items = text_or_items.replace(",", " ").split()
    else:
        items = [part for item in text_or_items for part in str(item).replace(",", " ").split()]
    networks: set[Network] = set()
    errors = []
    for item in items:
        try:
            networks.add(parse_cidr(item))
        except ValueError as exc:
            errors.append(str(exc))
    return sorted(networks, key=lambda n: (n.version, n.network_address, n.prefixlen)), errors


@dataclass(frozen=True)
class Overlap:
    """How a new range relates to a range another hoster already announces."""

    new: Network
    existing: Network
    owner: str
    kind: str  # "identical", "inside" (new within existing) or "contains" (existing within new)


def find_overlaps(new: Iterable[Network], existing: Iterable[tuple[Network, str]]) -> list[Overlap]:
    """Return every overlap of the new ranges with (range, owner) pairs of other hosters."""
    existing = list(existing)
    overlaps = []
    for net in new:
        for other, owner in existing:
            if net.version != other.version or not net.overlaps(other):
                continue
            if net == other:
                kind = "identical"
            elif net.subnet_of(other):
                kind = "inside"
            else:
                kind = "contains"
            overlaps.append(Overlap(net, other, owner, kind))
    return overlaps


class RangeTable:
    """Attribute addresses to owners by the most specific (longest-prefix) matching range."""

    def __init__(self, ranges: Iterable[tuple[Network, object]]):
        self._by_prefix: dict[tuple[int, int], dict[int, object]] = {}
        for net, owner in ranges:
            key = (net.version, net.prefixlen)
            self._by_prefix.setdefault(key, {})[int(net.network_address)] = owner
        # Longest prefixes first, so the first hit is the most specific range.
        self._order = sorted(self._by_prefix, key=lambda key: -key[1])

    def lookup(self, address: str) -> object | None:
        """Return the owner of the most specific range containing the address, or None."""
        ip = ipaddress.ip_address(address.strip())
        value = int(ip)
        bits = ip.max_prefixlen
        for version, prefixlen in self._order:
            if version != ip.version:
                continue
            network_int = value >> (bits - prefixlen) << (bits - prefixlen) if prefixlen else 0
            owner = self._by_prefix[(version, prefixlen)].get(network_int)
            if owner is not None:
                return owner
        return None
