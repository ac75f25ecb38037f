"""The bundled demo: a seeded fictional telecom market and the loopback server that publishes it."""

from demo.model import World
from demo.world import generate_world

__all__ = ["World", "generate_world"]
