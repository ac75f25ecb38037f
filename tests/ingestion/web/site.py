"""A small, scriptable web site on 127.0.0.1 for crawler tests (stdlib server, threads).

Routes map a path (with query) to a `Route` or to a function writing the answer itself (slow bodies,
bombs). Every request is recorded, so tests can assert what the crawler did and did not fetch.
"""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from core.config import EcouteConfig, parse_config

SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


@dataclass
class Route:
    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    etag: bool = False  # answer If-None-Match with 304

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Handler = Callable[[BaseHTTPRequestHandler], None]


class LocalSite:
    """`with LocalSite() as site: site.routes["/"] = Route("<html>…")`; `site.url("/")`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.connections = 0
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers.items())))
                route = site.routes.get(self.path)
                if route is None:
                    route = Route("not found", status=404)
                if callable(route):
                    route(self)
                    return
                body = route.payload()
                tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if route.etag and self.headers.get("If-None-Match") == tag:
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.etag:
                    self.send_header("ETag", tag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class _Server(ThreadingHTTPServer):
            daemon_threads = True

            def verify_request(
                self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
            ) -> bool:
                site.connections += 1
                return True

        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def route(self, path: str) -> Route:
        """The `Route` served at `path`, for a test that edits it in place."""
        route = self.routes[path]
        assert isinstance(route, Route), f"{path} is served by a function"
        return route

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def __enter__(self) -> LocalSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def article(
    slug: str, title: str, paragraphs: list[str], comments: str = "", extra: str = ""
) -> str:
    """An article page shaped like the demo site's (comments as schema.org microdata)."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:type" content="article"></head><body>'
        f'<nav><a href="/">Accueil</a> <a href="/tag/reseau">réseau</a></nav>'
        f'<article><h1>{title}</h1><p class="byline">Par <span rel="author">Jeanne</span></p>'
        f'<time datetime="2026-10-0{len(slug) % 9 + 1}T08:00:00Z">oct.</time>{body}</article>'
        f'{extra}<section id="comments">{comments}</section></body></html>'
    )


def comment(n: int, author: str, text: str, replies: str = "") -> str:
    return (
        f'<article class="comment" id="comment-{n}" itemscope '
        f'itemtype="https://schema.org/Comment"><span itemprop="author">{author}</span>'
        f'<time itemprop="dateCreated" datetime="2026-10-02T1{n % 10}:00:00Z">x</time>'
        f'<div itemprop="text"><p>{text}</p></div><div class="replies">{replies}</div></article>'
    )


LOREM = [
    "Une panne géante a touché le réseau de Nuage Télécom ce matin, privant des milliers "
    "d'abonnés de connexion internet pendant plusieurs heures dans toute la région.",
    "Le service client a été submergé d'appels et les réseaux sociaux se sont enflammés ; "
    "l'opérateur promet un geste commercial à tous les clients concernés par la coupure.",
]


def config_data(tmp_path: Path, web: list[dict[str, Any]], **crawler: Any) -> dict[str, Any]:
    """A minimal project crawling `web`, its warehouse in `tmp_path`, loopback allowed by name."""
    settings = {"request_delay_s": 0, "allow_hosts": ["127.0.0.1"], **crawler}
    return {
        "project": {"name": "test"},
        "brands": [{"name": "Nuage"}],
        "sources": {"web": web},
        "crawler": settings,
        "warehouse": {"path": str(tmp_path / "wh.duckdb")},
    }


def make_config(tmp_path: Path, web: list[dict[str, Any]], **crawler: Any) -> EcouteConfig:
    return parse_config(config_data(tmp_path, web, **crawler), base_dir=tmp_path)


class CountingListener:
    """A TCP port that counts the connections it receives (a canary that must get none), and
    answers each with `reply` when one is given."""

    def __init__(self, host: str = "127.0.0.1", reply: bytes | None = None) -> None:
        self.reply = reply
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                if self.reply is None:
                    continue
                conn.settimeout(1)
                try:
                    conn.recv(65536)
                    conn.sendall(self.reply)
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()
