"""The listening project as a Dagster resource: assets and sensors receive it, no global holds it.

The resource holds only the config file's path (shown in the UI); it loads and validates the file
once per run or sensor tick, when Dagster sets the resource up.
"""

from __future__ import annotations

import dagster as dg
from pydantic import PrivateAttr

from core.config import EcouteConfig, load_config


class EcouteProject(dg.ConfigurableResource):
    """The `ecoute.yml` every step of a run works for."""

    config_file: str
    _config: EcouteConfig | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._config = load_config(self.config_file)

    @property
    def config(self) -> EcouteConfig:
        if self._config is None:  # used outside a run (a direct call in a test or a script)
            self._config = load_config(self.config_file)
        return self._config
