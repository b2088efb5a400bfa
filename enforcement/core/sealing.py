"""Seals: HMAC-SHA256 under AUDIT_KEY, a secret kept outside the database.

Someone who can write the database but does not hold the key cannot make a seal that verifies,
so an edited event chain, letter record or checkpoint shows. create_app sets the key.
"""

import hashlib
import hmac
import json
from typing import Any

_key: bytes | None = None


def configure(key: str | None) -> None:
    """Set the audit key (AUDIT_KEY); None leaves new records unsealed."""
    global _key
    _key = key.encode() if key else None


def is_keyed() -> bool:
    """Return whether an audit key is configured."""
    return _key is not None


def canonical(data: Any) -> str:
    """Return data as canonical JSON: sorted keys, no spaces, text as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def seal(text: str) -> str:
    """Return the HMAC-SHA256 of the text under the audit key, as hex."""
    if _key is None:
        raise RuntimeError("AUDIT_KEY is not set; nothing can be sealed or checked")
    return hmac.new(_key, text.encode(), hashlib.sha256).hexdigest()


def seal_matches(text: str, expected: str | None) -> bool:
    """Return whether the seal of the text is the expected one (in constant time)."""
    return expected is not None and hmac.compare_digest(seal(text), expected)
