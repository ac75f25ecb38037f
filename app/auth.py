"""Who may open the page: nobody but this machine unless `app.access` says how people log in.

The CLI refuses to bind beyond loopback without an authenticated mode and an allow-list
(`bind_refusal`); the page itself checks every visitor (`require_access`), so a page started some
other way (`streamlit run`) is guarded as well.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from core.config import AppAccess, EcouteConfig

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """Whether `host` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def bind_refusal(access: AppAccess, host: str, server: str = "page") -> str | None:
    """Why `server` must not listen on `host`, or None when it may. Beyond loopback the page
    needs `oidc` or `proxy_header` and an allow-list; the Dagster UI has no login of its own, so
    it needs `proxy_header` (the proxy authenticates) and an allow-list."""
    if is_loopback(host):
        return None
    modes = ("oidc", "proxy_header") if server == "page" else ("proxy_header",)
    if access.mode not in modes:
        return (
            f"refusing to serve the {server} on {host}: anyone reaching that address would see "
            f"every mart. Set app.access.mode to {' or '.join(modes)} in ecoute.yml "
            "(with app.access.allowed_emails or allowed_domains), or keep the default 127.0.0.1."
        )
    if not access.allowed_emails and not access.allowed_domains:
        return (
            f"refusing to serve the {server} on {host}: app.access.mode is {access.mode} but "
            "app.access lists no allowed_emails or allowed_domains."
        )
    return None


def is_allowed(access: AppAccess, email: str | None) -> bool:
    """Whether an authenticated e-mail is on the allow-list (exact address or its domain)."""
    if not email or "@" not in email:
        return False
    address = email.strip().lower()
    domain = address.rsplit("@", 1)[1]
    return address in {e.strip().lower() for e in access.allowed_emails} or domain in {
        d.strip().lower().lstrip("@") for d in access.allowed_domains
    }


def _visitor_email(access: AppAccess, st: Any) -> str | None:
    """The visitor's e-mail as the configured mode vouches for it; None when not logged in."""
    if access.mode == "proxy_header":
        value = st.context.headers.get(access.proxy_header)
        return str(value) if value else None
    if not st.user.is_logged_in:
        st.button("Log in", on_click=st.login)
        st.stop()
    email = st.user.get("email")
    return str(email) if email else None


def require_access(config: EcouteConfig) -> None:
    """Stop the page (`st.stop()`) unless the visitor may see it. Mode `none` serves everyone who
    reaches the port, which the CLI keeps to loopback."""
    import streamlit as st

    access = config.app.access
    if access.mode == "none":
        return
    email = _visitor_email(access, st)
    if email is None:
        st.error(
            f"No authenticated user: the proxy did not send {access.proxy_header}."
            if access.mode == "proxy_header"
            else "Your login gave no e-mail address."
        )
        st.stop()
    if not is_allowed(access, email):
        st.error(f"{email} is not allowed to open this page (app.access in ecoute.yml).")
        st.stop()


def visitor(config: EcouteConfig) -> str | None:
    """Who the logged-in visitor is (their e-mail), to stamp what they write; None when
    `app.access.mode` is `none` (no login: the page asks for a name instead)."""
    import streamlit as st

    access = config.app.access
    if access.mode == "proxy_header":
        value = st.context.headers.get(access.proxy_header)
        return str(value).strip() or None if value else None
    if access.mode == "oidc" and st.user.is_logged_in:
        email = st.user.get("email")
        return str(email) if email else None
    return None
