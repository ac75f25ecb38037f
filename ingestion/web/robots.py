"""robots.txt as RFC 9309 reads it, plus the widely used `Crawl-delay` extension.

The stdlib `urllib.robotparser` predates the RFC (first match wins, no `*`/`$` patterns), so this
is a small faithful parser: the group for our product token (else `*`), longest matching rule wins,
`Allow` wins a tie. Fetch outcomes map as the RFC says: 4xx → allow everything, 5xx or unreachable
→ disallow everything.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least 500 KiB


@dataclass(frozen=True)
class Rule:
    allow: bool
    pattern: str

    def matches(self, path: str) -> bool:
        return _compile(self.pattern).match(path) is not None


_CACHE: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    if pattern not in _CACHE:
        anchored = pattern.endswith("$")
        body = pattern[:-1] if anchored else pattern
        regex = ".*".join(re.escape(part) for part in _normalise(body).split("*"))
        _CACHE[pattern] = re.compile(regex + ("$" if anchored else ""), re.DOTALL)
    return _CACHE[pattern]


def _normalise(path: str) -> str:
    """Percent-decode for comparison, but keep an encoded slash distinct from a real one."""
    return unquote(path.replace("%2F", "%252F").replace("%2f", "%252F"))


@dataclass(frozen=True)
class RobotsPolicy:
    """What one host allows our user agent to fetch."""

    rules: tuple[Rule, ...] = ()
    crawl_delay: float | None = None
    allow_all: bool = False
    disallow_all: bool = False
    sitemaps: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def allowing_all(cls) -> RobotsPolicy:
        return cls(allow_all=True)

    @classmethod
    def disallowing_all(cls) -> RobotsPolicy:
        return cls(disallow_all=True)

    def allowed(self, url: str) -> bool:
        if self.disallow_all:
            return False
        if self.allow_all:
            return True
        parts = urlsplit(url)
        path = _normalise((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        if path == "/robots.txt":
            return True
        best: Rule | None = None
        for rule in self.rules:
            if not rule.pattern or not rule.matches(path):
                continue
            longer = best is None or len(rule.pattern) > len(best.pattern)
            tie_allow = best is not None and len(rule.pattern) == len(best.pattern) and rule.allow
            if longer or tie_allow:
                best = rule
        return best is None or best.allow


def parse_robots(text: str, product_token: str) -> RobotsPolicy:
    """The policy for `product_token` (e.g. "EcouteBot") from a robots.txt body."""
    token = product_token.split("/")[0].strip().lower()
    groups: list[tuple[set[str], list[Rule], list[float]]] = []
    sitemaps: list[str] = []
    current: tuple[set[str], list[Rule], list[float]] | None = None
    last_was_agent = False
    for raw_line in text[:MAX_ROBOTS_BYTES].splitlines():
        line = raw_line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if current is None or not last_was_agent:
                current = (set(), [], [])
                groups.append(current)
            current[0].add(value.lower())
            last_was_agent = True
            continue
        last_was_agent = False
        if key == "sitemap":
            sitemaps.append(value)
        elif current is None:
            continue
        elif key in ("allow", "disallow"):
            current[1].append(Rule(allow=key == "allow", pattern=value))
        elif key == "crawl-delay":
            with contextlib.suppress(ValueError):
                current[2].append(float(value))
    chosen = [g for g in groups if token in g[0]] or [g for g in groups if "*" in g[0]]
    rules = [rule for group in chosen for rule in group[1]]
    delays = [delay for group in chosen for delay in group[2]]
    return RobotsPolicy(
        rules=tuple(rules),
        crawl_delay=max(delays) if delays else None,
        sitemaps=tuple(sitemaps),
    )
