"""When a hoster breaches the takedown policy (pure computation)."""

from dataclasses import dataclass

from enforcement.metrics.figures import Figures


@dataclass(frozen=True)
class Thresholds:
    """Breach thresholds; the defaults are the policy of issue 3."""

    min_notices: int = 10
    min_offline_within_24h_pct: float = 90.0
    max_online_over_72h_pct: float = 1.0


def breach_reasons(figures: Figures, thresholds: Thresholds) -> list[str]:
    """Return why the figures breach the policy; empty when they do not."""
    if figures.notices < thresholds.min_notices:
        return []
    reasons = []
    offline = figures.offline_within_24h_pct
    if offline is not None and offline < thresholds.min_offline_within_24h_pct:
        reasons.append(
            f"offline within 24 h {offline:.1f}% < {thresholds.min_offline_within_24h_pct:.1f}%"
        )
    online = figures.online_over_72h_pct
    if online is not None and online > thresholds.max_online_over_72h_pct:
        reasons.append(
            f"online over 72 h {online:.1f}% > {thresholds.max_online_over_72h_pct:.1f}%"
        )
    return reasons
