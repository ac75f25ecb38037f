"""Hostile URLs against the safe fetcher: none may reach a canary listening on 127.0.0.1.

No DNS is ever asked: names resolve through `_resolver` (a fixed table, else numeric literals
only), and the fetcher may open connections to 127.0.0.1 alone (`_loopback_only`).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urljoin

import pytest
from pydantic import ValidationError

from core.config import Crawler
from ingestion.http import ForbiddenURL, SafeFetcher, is_public, resolve_checked

from .site import CountingListener, LocalSite, Route

PUBLIC = "93.184.215.14"  # never contacted: the fetcher refuses, or the guard stops it
CANARY = 8473  # the canary's port in the pure tables (the real one replaces it)

# What a hostile DNS would answer; any other name is looked up as a numeric literal only.
FAKE_DNS = {
    "public.example": [PUBLIC],
    "localhost": ["127.0.0.1"],
    "rebind.example": ["127.0.0.1"],
    "127.0.0.1.nip.io": ["127.0.0.1"],
    "mixed.example": [PUBLIC, "127.0.0.1"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "nat64.example": ["64:ff9b::7f00:1"],
    "sixtofour.example": ["2002:7f00:1::1"],
    "instance-data": ["169.254.169.254"],
    "cgnat.example": ["100.64.0.1"],
}


def _resolver(host: str, port: int) -> list[str]:
    if host in FAKE_DNS:
        return FAKE_DNS[host]
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    return [str(info[4][0]) for info in infos]


def hostile(port: int) -> list[str]:
    """URLs that must all be refused; `port` is allowed, so host rules alone must stop them."""
    p = port
    schemes = [
        "file:///etc/passwd",
        "file://127.0.0.1/etc/passwd",
        f"ftp://127.0.0.1:{p}/",
        f"gopher://127.0.0.1:{p}/_SET%20x%201",
        f"dict://127.0.0.1:{p}/info",
        f"ldap://127.0.0.1:{p}/",
        f"ws://127.0.0.1:{p}/",
        f"wss://127.0.0.1:{p}/",
        f"ssh://127.0.0.1:{p}/",
        f"telnet://127.0.0.1:{p}/",
        f"jar:http://127.0.0.1:{p}/x.jar!/",
        f"netdoc://127.0.0.1:{p}/",
        "javascript:alert(1)",
        "data:text/html,<p>x</p>",
        "mailto:bot@127.0.0.1",
        f"httpx://127.0.0.1:{p}/",
        f"//127.0.0.1:{p}/",
        f"127.0.0.1:{p}/",
    ]
    ipv4 = [
        f"http://{host}:{p}/"
        for host in (
            "127.0.0.1",
            "127.0.0.2",
            "127.255.255.254",
            "127.1",
            "127.0.1",
            "127.000.000.001",
            "0127.0.0.1",
            "2130706433",
            "0x7f000001",
            "0x7f.1",
            "0x7f.0.0.1",
            "0X7F.0X0.0X0.0X1",
            "017700000001",
            "0177.0.0.1",
            "0177.1",
            "127.0.0.1.",
            "127.0.0.1..",
            "0.0.0.0",
            "0",
            "0x0",
            "0.1.2.3",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.254",
            "192.168.1.1",
            "169.254.169.254",
            "2852039166",  # 169.254.169.254 as an integer
            "100.64.0.1",
            "100.127.255.254",
            "198.18.0.1",
            "198.19.255.255",
            "192.0.0.170",
            "192.0.2.1",
            "198.51.100.1",
            "203.0.113.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
        )
    ]
    ipv6 = [
        f"http://[{host}]:{p}/"
        for host in (
            "::1",
            "0:0:0:0:0:0:0:1",
            "::",
            "::127.0.0.1",
            "::7f00:1",
            "::ffff:127.0.0.1",
            "::ffff:7f00:1",
            "0:0:0:0:0:ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:a9fe:a9fe",
            "::ffff:10.0.0.1",
            "::ffff:0:127.0.0.1",
            "64:ff9b::127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::7f00:1",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::",
            "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1 (obfuscated)
            "2001::1",
            "2001:db8::1",
            "3fff::1",
            "fe80::1",
            "fe80::1%25lo",
            "fc00::1",
            "fd00:ec2::254",
            "fec0::1",
            "ff02::1",
            "100::1",
        )
    ]
    names = [
        f"http://{host}:{p}/"
        for host in (
            "localhost",
            "LOCALHOST",
            "LocalHost.",
            "localhost..",
            "sub.localhost",
            "a.b.localhost",
            "localhost.localdomain",
            "printer.local",
            "metadata.google.internal",
            "router.home.arpa",
            "\u24dbocalhost",  # circled l: IDNA maps it to localhost
            "\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54",  # fullwidth localhost
            "\u2460\u2461\u2466.\u24ea.\u24ea.\u2460",  # circled digits 127.0.0.1
            "127\u30020\u30020\u30021",  # ideographic full stops
            "\uff11\uff12\uff17.\uff10.\uff10.\uff11",  # fullwidth digits
            "rebind.example",
            "127.0.0.1.nip.io",
            "mixed.example",
            "mapped.example",
            "nat64.example",
            "sixtofour.example",
            "instance-data",
            "cgnat.example",
            "%6c%6f%63%61%6c%68%6f%73%74",
            "127%2e0%2e0%2e1",
            "%31%32%37.0.0.1",
            "localhost%00.public.example",
            "a" * 64 + ".example",
            ".".join(["a" * 63] * 4) + ".example",
            "1" * 300,
            "-public.example",
            "public_.example-",
            "xn--.example",
        )
    ]
    tricks = [
        f"http://user@127.0.0.1:{p}/",
        f"http://user:pass@127.0.0.1:{p}/",
        f"http://public.example@127.0.0.1:{p}/",
        f"http://public.example:80@127.0.0.1:{p}/",
        f"http://127.0.0.1:{p}@public.example/",
        f"http://public.example\\@127.0.0.1:{p}/",
        f"http://a@b@127.0.0.1:{p}/",
        f"http://%40@127.0.0.1:{p}/",
        f"http://127.0.0.1#@public.example:{p}/",
        f"http://[127.0.0.1]:{p}/",
        f"http://[::1]]:{p}/",
        f"http://[[::1]]:{p}/",
        f"http://[::1]x:{p}/",
        f"http://[::1:{p}/",
        f"http://127.0.0.1]:{p}/",
        f"http://[::1]:{p}:{p}/",
        f"http://127.0.0.1:{p}:{p}/",
        f"http://127.0.0.1: {p}/",
        f"http:/127.0.0.1:{p}/",
        f"http:127.0.0.1:{p}/",
        f"http:///127.0.0.1:{p}/",
        f"HTTP://127.0.0.1:{p}/",
        f" http://127.0.0.1:{p}/",
    ]
    ports = [
        "http://public.example:22/",
        "http://public.example:25/",
        "http://public.example:6379/",
        "https://public.example:22/",
        "http://public.example:3306/",
        "http://public.example:5432/",
        "http://public.example:11211/",
        "http://public.example:9200/",
        "http://public.example:8080/",
        "http://public.example:0/",
        "http://public.example:65536/",
        "http://public.example:99999/",
        "http://public.example:-1/",
        "http://public.example:+80/",
        "http://public.example:%38%30/",
        "http://public.example:\u0668\u0660/",  # Arabic-Indic 80
        "http://public.example:0x50/",
    ]
    return schemes + ipv4 + ipv6 + names + tricks + ports


def _settings(port: int, **overrides) -> Crawler:
    base = {"request_delay_s": 0, "allow_hosts": ["allowed.example"], "allow_ports": [port]}
    return Crawler(**{**base, **overrides})


def test_the_table_is_large_and_free_of_repeats() -> None:
    urls = hostile(CANARY)
    assert len(urls) >= 100
    assert len(set(urls)) == len(urls)


@pytest.mark.parametrize("url", hostile(CANARY))
def test_hostile_url_is_refused_by_policy(url: str) -> None:
    settings = _settings(CANARY)
    with pytest.raises(ForbiddenURL):
        resolve_checked(url, settings.allow_hosts, settings.allow_ports, _resolver)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:8.8.8.8", True),  # mapped, judged by its IPv4
        ("64:ff9b::808:808", True),  # NAT64 of a public address
        ("2002:808:808::1", True),  # 6to4 of a public address
        ("127.0.0.1", False),
        ("::ffff:127.0.0.1", False),
        ("::127.0.0.1", False),
        ("64:ff9b::a9fe:a9fe", False),
        ("64:ff9b:1::808:808", False),
        ("2002:a9fe:a9fe::", False),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),
        ("100.64.0.1", False),
        ("198.18.0.1", False),
        ("::", False),
        ("fc00::1", False),
        ("fe80::1", False),
        ("fe80::1%eth0", False),
        ("not an address", False),
    ],
)
def test_is_public(address: str, public: bool) -> None:
    assert is_public(address) is public


@pytest.mark.parametrize("port", [22, 25, 6379])
def test_public_hosts_only_on_web_ports(port: int) -> None:
    url = f"http://public.example:{port}/"
    with pytest.raises(ForbiddenURL, match=f"port {port} is not 80/443"):
        resolve_checked(url, [], [], _resolver)
    assert resolve_checked(url, [], [port], _resolver) == (PUBLIC, port, "public.example")
    for web in ("http://public.example/", "https://public.example/", "http://public.example:443/"):
        assert resolve_checked(web, [], [], _resolver)[0] == PUBLIC


def test_allowed_hosts_lift_the_address_and_port_rules() -> None:
    for entry, url in [
        ("127.0.0.1", "http://127.0.0.1:6379/"),
        ("127.0.0.1", "http://127.0.0.1./"),
        ("[::1]", "http://[::1]:8080/"),
        ("localhost", "http://localhost:8080/"),
    ]:
        address, port, _ = resolve_checked(url, [entry], [], _resolver)
        assert not is_public(address) and port in (80, 6379, 8080)
    with pytest.raises(ForbiddenURL):  # the name is allowed, not every spelling of its address
        resolve_checked("http://2130706433/", ["127.0.0.1"], [], _resolver)


@pytest.mark.parametrize("ports", [[0], [65536], [-1]])
def test_allow_ports_are_valid_ports(ports: list[int]) -> None:
    with pytest.raises(ValidationError):
        Crawler(allow_ports=ports)


@pytest.fixture
def canary() -> Iterator[CountingListener]:
    running = CountingListener(
        reply=b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
    )
    yield running
    running.close()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every (address, port) the fetcher connects to; anything but 127.0.0.1 is stopped here."""
    seen: list[tuple[str, int]] = []
    real_pool = SafeFetcher._pool

    def guarded(self, scheme: str, address: str, port: int, host: str):
        seen.append((address, port))
        if address != "127.0.0.1":
            raise AssertionError(f"the test may only connect to 127.0.0.1, not {address}")
        return real_pool(self, scheme, address, port, host)

    monkeypatch.setattr(SafeFetcher, "_pool", guarded)
    return seen


@pytest.mark.slow
def test_no_hostile_url_reaches_the_canary(canary: CountingListener, opened: list) -> None:
    fetcher = SafeFetcher(_settings(canary.port), resolver=_resolver)
    urls = hostile(canary.port)
    for url in urls:
        with pytest.raises(ForbiddenURL):
            fetcher.get(url)
    assert opened == [] and canary.connections == 0
    # The control: the same canary, allowed by name, is reached (so the test can fail).
    allowed = SafeFetcher(_settings(canary.port, allow_hosts=["127.0.0.1"]), resolver=_resolver)
    response = allowed.get(f"http://127.0.0.1:{canary.port}/")
    assert response.status == 200 and response.body == b"ok"
    assert opened == [("127.0.0.1", canary.port)] and canary.connections == 1


@pytest.mark.slow
def test_redirects_to_hostile_urls_are_refused(canary: CountingListener, opened: list) -> None:
    """A site on 127.0.0.1 (allowed by that name) redirecting to every other spelling of it."""
    settings = _settings(canary.port, allow_hosts=["127.0.0.1"])
    fetcher = SafeFetcher(settings, resolver=_resolver)
    with LocalSite() as site:
        targets = []
        for url in filter(str.isascii, hostile(canary.port)):  # a header is latin-1
            try:  # keep the hops refused even with 127.0.0.1 allowed by name
                hop = urljoin(site.url("/r/"), url)
                resolve_checked(hop, settings.allow_hosts, settings.allow_ports, _resolver)
            except (ForbiddenURL, ValueError):
                targets.append(url)
        assert len(targets) >= 90
        for n, url in enumerate(targets):
            site.routes[f"/r/{n}"] = Route(status=302, headers={"Location": url})
        for n in range(len(targets)):
            with pytest.raises(ForbiddenURL):
                fetcher.get(site.url(f"/r/{n}"))
    assert canary.connections == 0
    assert {address for address, _ in opened} == {"127.0.0.1"}
    assert {port for _, port in opened} == {site.port}
