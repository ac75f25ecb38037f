"""The brands' official accounts answer some customer threads, and the truth says which and when."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.config import load_config
from demo import official
from demo.model import World
from demo.server import SiteView, route
from demo.world import generate_world
from tests.demo import brand_rules

REPO = Path(__file__).resolve().parents[2]
BASE = "http://127.0.0.1:8765"


def test_ecoute_yml_declares_the_worlds_official_accounts(world: World) -> None:
    config = load_config(REPO / "ecoute.yml")
    declared = {b.name: b.official_accounts for b in config.brands if b.official_accounts}
    assert declared == {brand: [handle] for brand, handle in world.truth.official_accounts.items()}


def test_each_answer_is_a_reply_by_the_brands_account_after_the_request(world: World) -> None:
    posts = world.truth.posts
    answered = [r for r in world.truth.requests if r.answer is not None]
    assert len(answered) > 100
    pages = {p.path: p for p in (*world.articles, *world.copies)}
    for request in answered:
        assert request.answer is not None and request.answered_at is not None
        answer = posts[request.answer]
        assert answer.official and answer.page == request.page
        assert answer.author == world.truth.official_accounts[request.brand]
        assert answer.published_at == request.answered_at > request.opened_at
        assert request.answer in {c.local_id for c in pages[request.page].all_comments()}
    assert {p.author for p in posts.values() if p.official} == set(
        world.truth.official_accounts.values()
    )


def test_answers_name_no_brand_so_brand_truths_are_unchanged(world: World) -> None:
    rules = brand_rules.brands()
    texts = world.texts()
    for key, post in world.truth.posts.items():
        if post.official:
            assert post.brands == {}
            assert brand_rules.matched_brands(rules, texts[key]) == set(), texts[key]


def test_other_posts_do_not_depend_on_the_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    answering = generate_world(seed=5, mentions=400)
    monkeypatch.setattr(official, "ANSWERING", {})
    silent = generate_world(seed=5, mentions=400)
    assert not any(p.official for p in silent.truth.posts.values())
    customers = {k: p for k, p in answering.truth.posts.items() if not p.official}
    assert customers == silent.truth.posts
    texts = answering.texts()
    assert all(texts[k] == t for k, t in silent.texts().items())
    assert answering.hn_items == silent.hn_items and answering.authors == silent.authors


def test_the_opener_is_the_threads_first_customer_request(world: World) -> None:
    texts = world.texts()
    by_page: dict[str, list[str]] = {}
    for key, post in world.truth.posts.items():
        if post.source == "web" and post.kind != "article" and not post.official:
            by_page.setdefault(post.page or key, []).append(key)
    for request in world.truth.requests:
        assert world.truth.posts[request.opened_by].kind in ("comment", "reply")
        asking = [
            k
            for k in by_page[request.page]
            if official.is_request(texts[k], world.truth.posts[k].brands.get(request.brand))
        ]
        first = min(asking, key=lambda k: world.truth.posts[k].published_at)
        assert world.truth.posts[first].published_at == request.opened_at
    opened = {(r.page, r.brand) for r in world.truth.requests}
    assert len(opened) == len(world.truth.requests)  # one request per thread and brand


def test_brands_answer_at_their_own_rate_and_speed(world: World) -> None:
    by_brand = {}
    for brand in world.truth.official_accounts:
        requests = [r for r in world.truth.requests if r.brand == brand]
        hours = [r.response_hours for r in requests if r.response_hours is not None]
        by_brand[brand] = (len(hours) / len(requests), statistics.median(hours))
    assert by_brand["Nuage"][0] > by_brand["Fibrea"][0] > by_brand["Célest"][0]
    assert by_brand["Nuage"][1] < by_brand["Fibrea"][1] < by_brand["Célest"][1]
    assert by_brand["Nuage"][1] == pytest.approx(4, rel=0.35)
    assert "Zest" not in world.truth.official_accounts
    assert not any(r.brand == "Zest" for r in world.truth.requests)


def test_answers_are_served_on_their_page(world: World) -> None:
    view = SiteView(world)
    request = next(r for r in world.truth.requests if r.answer is not None)
    html = route(view, request.page, BASE).body.decode()
    assert f'id="{request.answer}"' in html
    assert world.truth.official_accounts[request.brand] in html


def test_a_truncated_world_only_knows_answers_given_by_then(world: World) -> None:
    answered = sorted(
        (r for r in world.truth.requests if r.answered_at is not None),
        key=lambda r: r.answered_at or r.opened_at,
    )
    late = answered[len(answered) // 2]
    as_of = late.opened_at + (late.answered_at - late.opened_at) / 2  # type: ignore[operator]
    early = world.truncated(as_of)
    again = next(r for r in early.truth.requests if (r.page, r.brand) == (late.page, late.brand))
    assert again.answer is None and again.answered_at is None
    assert all(r.opened_at <= as_of for r in early.truth.requests)
    assert all(r.answered_at is None or r.answered_at <= as_of for r in early.truth.requests)
    start = datetime.combine(world.start, datetime.min.time(), UTC)
    assert world.truncated(start + timedelta(days=world.days)).truth.requests == (
        world.truth.requests
    )
