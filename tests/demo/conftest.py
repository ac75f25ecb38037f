"""Fixtures for the demo world: one generated world per session, served on loopback per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from demo.model import World
from demo.server import DemoServer, serve_world
from demo.world import generate_world


@pytest.fixture(scope="session")
def world() -> World:
    return generate_world()


@pytest.fixture(scope="module")
def server(world: World) -> Iterator[DemoServer]:
    with serve_world(world) as running:
        yield running
