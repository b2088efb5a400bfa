"""Takedown figures per hoster and window, and the policy that says when a hoster breaches."""
