"""The generated world: deterministic, shaped like the brief, and its truth consistent with it."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from demo.model import Comment, PostTruth, World
from demo.server import SiteView, route
from demo.world import generate_world
from tests.demo import brand_rules

BASE = "http://127.0.0.1:8765"


def _served_bytes(world: World) -> list[bytes]:
    view = SiteView(world)
    paths = ["/", "/sitemap.xml", "/feed.xml", "/hn/api/v1/search_by_date?hitsPerPage=1000"]
    paths += sorted(view.pages)
    return [route(view, p, BASE).body for p in paths]


def test_same_arguments_give_the_same_world_byte_for_byte() -> None:
    first, second = generate_world(seed=3, mentions=600), generate_world(seed=3, mentions=600)
    assert first == second
    assert _served_bytes(first) == _served_bytes(second)


def test_another_seed_gives_another_world() -> None:
    assert (
        generate_world(seed=1, mentions=300).texts() != generate_world(seed=2, mentions=300).texts()
    )


def test_a_full_world_is_generated_quickly() -> None:
    started = time.perf_counter()
    generate_world(seed=11)
    assert time.perf_counter() - started < 2.0


def customer_posts(world: World) -> list[PostTruth]:
    """Every post but the brands' official answers (which come on top of `mentions`)."""
    return [p for p in world.truth.posts.values() if not p.official]


def test_volume_and_sources_follow_the_brief(world: World) -> None:
    posts = customer_posts(world)
    assert len(posts) == pytest.approx(3000, rel=0.02)
    by_kind = Counter((p.source, p.kind) for p in posts)
    total = len(posts)
    articles = len(world.articles) / total
    copies = len(world.copies) / total
    hn = (
        by_kind["hackernews", "story"]
        + by_kind["hackernews", "comment"]
        + by_kind["hackernews", "reply"]
    ) / total
    web_comments = (by_kind["web", "comment"] + by_kind["web", "reply"]) / total
    assert articles == pytest.approx(0.08, abs=0.01)
    assert copies == pytest.approx(0.01, abs=0.005)
    assert hn == pytest.approx(0.30, abs=0.02)
    assert web_comments == pytest.approx(0.60, abs=0.03)
    assert by_kind["web", "reply"] > 200 and by_kind["hackernews", "reply"] > 100


def test_languages_are_mostly_french_on_the_web_and_english_on_hn(world: World) -> None:
    posts = customer_posts(world)
    french = sum(p.lang == "fr" for p in posts) / len(posts)
    assert french == pytest.approx(0.60, abs=0.05)
    hn = [p for p in posts if p.source == "hackernews"]
    assert sum(p.lang == "en" for p in hn) / len(hn) > 0.8
    assert {a.lang for a in world.articles} == {"fr", "en"}


def test_posts_are_social_sized(world: World) -> None:
    texts = world.texts()
    sizes = [
        len(texts[k].split())
        for k, p in world.truth.posts.items()
        if p.kind in ("comment", "reply") and not p.spam
    ]
    assert min(sizes) >= 15 and max(sizes) <= 75
    assert 20 <= sum(sizes) / len(sizes) <= 45


def test_social_text_features_occur(world: World) -> None:
    corpus = "\n".join(world.texts().values()).casefold()
    for feature in (
        "pas terrible",
        "Not bad at all",
        "trooop",
        "😡",
        "#NuageTelecom",
        "@",
        "https://bons-plans-telecom.example/ref=",
        "J'ai quitté",
        "I left",
        "🙃",
    ):
        assert feature.casefold() in corpus, feature


def test_author_kinds_have_the_expected_shares(world: World) -> None:
    authors = list(world.authors.values())
    assert 200 <= len(authors) <= 500
    kinds = Counter(a.kind for a in authors)
    assert kinds["creator"] / len(authors) == pytest.approx(0.03, abs=0.01)
    assert kinds["contributor"] / len(authors) == pytest.approx(0.08, abs=0.015)
    assert kinds["opportunist"] / len(authors) == pytest.approx(0.15, abs=0.02)
    assert sum(a.advocate for a in authors) >= 3 and sum(a.detractor for a in authors) >= 3
    assert sum(len(a.sources) == 2 for a in authors) >= 10


def test_author_kinds_behave_as_their_kind(world: World) -> None:
    posts = customer_posts(world)
    per_author = Counter(p.author for p in posts)
    kind_of = {h: a.kind for h, a in world.authors.items()}
    assert max(per_author[h] for h, k in kind_of.items() if k == "observer") <= 2
    contributors = [per_author[h] for h, k in kind_of.items() if k == "contributor"]
    assert sum(contributors) / len(contributors) > 15
    spam = [p for p in posts if p.spam]
    assert spam and {kind_of[p.author] for p in spam} == {"opportunist"}
    texts = world.texts()
    repeated = Counter(texts[p.key] for p in spam)
    assert repeated.most_common(1)[0][1] >= 3, "opportunists paste the same promo repeatedly"
    starters = Counter(kind_of[p.author] for p in posts if p.kind in ("article", "story"))
    assert starters["creator"] > sum(starters.values()) / 2


def test_advocates_and_detractors_are_consistent_about_the_own_brand(world: World) -> None:
    stance: dict[str, Counter[str]] = {}
    for post in customer_posts(world):
        author = world.authors[post.author]
        if (author.advocate or author.detractor) and "Nuage" in post.brands:
            stance.setdefault(post.author, Counter())[post.brands["Nuage"]] += 1
    for handle, counts in stance.items():
        expected = "positive" if world.authors[handle].advocate else "negative"
        assert counts[expected] / sum(counts.values()) > 0.7, handle


def test_the_incident_is_the_most_negative_period_of_the_own_brand(world: World) -> None:
    incident = world.truth.incident
    assert incident.brand == "Nuage"
    assert (incident.first_day - world.start).days == 60
    assert (incident.last_day - incident.first_day).days == 3
    weekly: dict[int, list[str]] = {}
    for post in world.truth.posts.values():
        if "Nuage" in post.brands:
            week = (post.published_at.date() - world.start).days // 4
            weekly.setdefault(week, []).append(post.brands["Nuage"])
    negative_share = {w: v.count("negative") / len(v) for w, v in weekly.items() if len(v) > 10}
    incident_bucket = (incident.first_day - world.start).days // 4
    worst = max(negative_share, key=negative_share.__getitem__)
    assert worst == incident_bucket
    volume = {w: len(v) for w, v in weekly.items()}
    assert volume[incident_bucket] == max(volume.values())
    incident_texts = [world.texts()[k] for k, p in world.truth.posts.items() if p.incident]
    assert len(incident_texts) > 50
    words = " ".join(incident_texts).lower()
    assert all(k in words for k in ("panne", "coupure", "plus de réseau", "outage", "down"))


def test_homonym_noise_is_on_both_sources(world: World) -> None:
    texts = world.texts()
    homonyms = [world.truth.posts[k] for k in world.truth.homonym_posts]
    assert {p.source for p in homonyms} == {"web", "hackernews"}
    assert all(not p.brands for p in homonyms)
    hn_words = " ".join(texts[p.key].lower() for p in homonyms if p.source == "hackernews")
    assert " nuage " in hn_words and " zest " in hn_words
    web_words = " ".join(texts[p.key].lower() for p in homonyms if p.source == "web")
    assert "nuage" in web_words


@pytest.mark.slow
def test_truth_agrees_with_the_brand_rules_of_ecoute_yml(world: World) -> None:
    rules = brand_rules.brands()
    by_name = {b.name: b for b in rules}
    texts = world.texts()
    wrong = []
    for key, post in world.truth.posts.items():
        found = brand_rules.matched_brands(rules, texts[key])
        if found != set(post.brands):
            wrong.append((key, sorted(post.brands), sorted(found), texts[key]))
        for name in post.brands:
            assert not brand_rules.any_exclusion(by_name[name], texts[key]), texts[key]
    assert not wrong, wrong[:5]


def _check_replies(comment: Comment, parent_time: datetime, depth: int) -> None:
    assert comment.published_at >= parent_time
    assert depth <= 3
    for reply in comment.replies:
        _check_replies(reply, comment.published_at, depth + 1)


def test_threads_are_well_formed(world: World) -> None:
    for article in world.articles:
        for top in article.comments:
            _check_replies(top, article.published_at, 1)
    ids = [c.local_id for a in world.articles for c in a.all_comments()]
    assert len(ids) == len(set(ids))
    items = {i.object_id: i for i in world.hn_items}
    depth: dict[str, int] = {}
    for item in sorted(world.hn_items, key=lambda i: i.created_at):
        if item.item_type == "comment":
            assert item.parent_id is not None
            parent = items[item.parent_id]
            assert parent.created_at <= item.created_at
            assert int(parent.object_id) < int(item.object_id)
            assert items[item.story_id].item_type == "story"
            depth[item.object_id] = depth.get(item.parent_id, 0) + 1
    assert max(depth.values()) == 3


def test_syndicated_copies_repeat_the_body_under_another_title(world: World) -> None:
    pages = {a.path: a for a in world.articles}
    assert len(world.truth.syndicated) >= 10
    with_comments = [c for c in world.copies if c.comments]
    assert with_comments and len(with_comments) < len(world.copies)
    for copy in with_comments:
        assert all(world.truth.posts[c.local_id].page == copy.path for c in copy.all_comments())
    for copy in world.copies:
        original = pages[f"/articles/{copy.original_slug}.html"]
        assert copy.path in world.truth.syndicated[original.path]
        assert copy.paragraphs == original.paragraphs
        assert copy.title != original.title and copy.title.endswith(original.title)
        assert copy.published_at > original.published_at
        assert world.truth.posts[copy.path].syndicated_from == original.path


def test_truth_covers_every_published_post(world: World) -> None:
    assert set(world.texts()) == set(world.truth.posts)
    post = next(p for p in world.truth.posts.values() if p.kind == "reply" and p.source == "web")
    assert post.mention_id(BASE) == f"web:{BASE}{post.page}#{post.key}"
    assert all(p.published_at.tzinfo is not None for p in world.truth.posts.values())


def test_truncated_world_only_holds_what_was_posted(world: World) -> None:
    as_of = datetime.combine(world.start, datetime.min.time(), UTC) + timedelta(days=45)
    early = world.truncated(as_of)
    assert 0 < len(early.truth.posts) < len(world.truth.posts)
    assert all(p.published_at <= as_of for p in early.truth.posts.values())
    assert set(early.texts()) == set(early.truth.posts)
    stories = [i for i in early.hn_items if i.item_type == "story"]
    counted = Counter(i.story_id for i in early.hn_items if i.item_type == "comment")
    assert all(s.num_comments == counted[s.object_id] for s in stories)
    assert world.truncated(world.end) == world


@pytest.mark.parametrize("mentions", [40, 400])
def test_small_worlds_still_have_every_feature(mentions: int) -> None:
    small = generate_world(seed=7, mentions=mentions, days=30)
    assert small.articles and small.hn_items and small.copies
    assert any(p.incident for p in small.truth.posts.values())
    assert len(customer_posts(small)) == pytest.approx(mentions, abs=3)
