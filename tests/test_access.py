"""Access: the page and the Dagster UI stay on loopback unless `app.access` authenticates and
allow-lists; the page's gate stops every visitor who is not logged in and listed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from app.auth import bind_refusal, is_allowed, is_loopback
from core.config import AppAccess
from ecoute.cli import cli
from tests.conftest import write_demo_config

GATED_PAGE = """
import streamlit as st
from app.auth import require_access
from core.config import load_config

require_access(load_config({config!r}))
st.write("the marts")
"""


def config_with(folder: Path, access: dict[str, object] | None) -> Path:
    path = write_demo_config(folder, port=1)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if access is not None:
        data["app"] = {"access": access}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("host", ["127.0.0.1", "127.9.9.9", "::1", "[::1]", "localhost"])
def test_loopback_hosts_need_no_access(host):
    assert is_loopback(host)
    assert bind_refusal(AppAccess(), host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.4", "example.org", "::ffff:1.2.3.4"])
def test_other_hosts_are_not_loopback(host):
    assert not is_loopback(host)


@pytest.mark.parametrize(
    ("access", "page", "ui"),
    [
        ({}, False, False),
        ({"mode": "oidc"}, False, False),
        ({"mode": "oidc", "allowed_domains": ["nuage.example"]}, True, False),
        ({"mode": "proxy_header", "allowed_emails": ["ana@nuage.example"]}, True, True),
        ({"mode": "proxy_header"}, False, False),
    ],
)
def test_binding_beyond_loopback_needs_a_login_and_an_allow_list(access, page, ui):
    settings = AppAccess(**access)
    assert (bind_refusal(settings, "0.0.0.0", "page") is None) is page
    assert (bind_refusal(settings, "0.0.0.0", "Dagster UI") is None) is ui


@pytest.mark.parametrize("command", ["app", "ui"])
def test_the_cli_refuses_to_serve_everyone(tmp_path, command):
    config = config_with(tmp_path, None)
    result = CliRunner().invoke(cli, [command, "--config", str(config), "--host", "0.0.0.0"])
    assert result.exit_code == 2, result.output
    assert "refusing to serve" in result.output and "app.access" in result.output


def test_allow_list_matches_addresses_and_domains_exactly():
    access = AppAccess(
        mode="oidc", allowed_emails=["Ana@Other.example"], allowed_domains=["@nuage.example"]
    )
    assert is_allowed(access, "ana@other.example")
    assert is_allowed(access, "bob@NUAGE.example")
    assert not is_allowed(access, "bob@other.example")
    assert not is_allowed(access, "bob@evil-nuage.example")
    assert not is_allowed(access, "bob@nuage.example.evil")
    assert not is_allowed(access, None) and not is_allowed(access, "nuage.example")


def gated(tmp_path: Path, access: dict[str, object]) -> AppTest:
    config = config_with(tmp_path, access)
    script = tmp_path / "page.py"
    script.write_text(GATED_PAGE.format(config=str(config)), encoding="utf-8")
    return AppTest.from_file(str(script), default_timeout=30)


def shown(page: AppTest) -> str:
    return " ".join(str(m.value) for m in page.markdown)


OIDC: dict[str, object] = {"mode": "oidc", "allowed_domains": ["nuage.example"]}


def test_a_logged_out_visitor_gets_a_login_button_and_no_marts(tmp_path):
    page = gated(tmp_path, OIDC)
    page.user = {"is_logged_in": False}
    page.run()
    assert not page.exception
    assert [b.label for b in page.button] == ["Log in"]
    assert "the marts" not in shown(page)


def test_a_listed_user_sees_the_page_and_an_unlisted_one_is_stopped(tmp_path):
    page = gated(tmp_path, OIDC)
    page.user = {"is_logged_in": True, "email": "ana@nuage.example"}
    page.run()
    assert "the marts" in shown(page) and not page.error

    page = gated(tmp_path, OIDC)
    page.user = {"is_logged_in": True, "email": "eve@elsewhere.example"}
    page.run()
    assert "the marts" not in shown(page)
    assert "eve@elsewhere.example is not allowed" in page.error[0].value


def test_proxy_mode_without_the_header_stops_the_page(tmp_path):
    page = gated(tmp_path, {"mode": "proxy_header", "allowed_emails": ["ana@nuage.example"]})
    page.run()
    assert "the marts" not in shown(page)
    assert "X-Forwarded-Email" in page.error[0].value


def test_mode_none_serves_the_page(tmp_path):
    page = gated(tmp_path, {})
    page.run()
    assert "the marts" in shown(page)
