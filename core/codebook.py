"""The project's codebook (`codebook.yml`): the coded variables, their values, level and rules.

Corrections and double coding accept only the values declared here, and the agreement statistics
read each variable's level (nominal or ordinal: for an ordinal one the order of `values` counts).
Validated like `ecoute.yml`: a malformed codebook raises `CodebookError` naming the bad key.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.config import ConfigError

if TYPE_CHECKING:
    from core.config import EcouteConfig

DEFAULT_CODEBOOK = "codebook.yml"
CORRECTABLE_FIELDS = ("sentiment", "relevance", "category")
"""The fields a correction may set (ARCHITECTURE: the per-brand values dbt overrides)."""

_Text = Annotated[str, Field(min_length=1)]


class CodebookError(ConfigError):
    """A codebook that cannot be used; the message names the file and the bad key."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(_Model):
    fr: _Text
    en: _Text


class Example(_Model):
    text: _Text
    value: _Text
    lang: Literal["fr", "en"]


class Variable(_Model):
    """One coded variable; `values` in their order for an ordinal level."""

    level: Literal["nominal", "ordinal"]
    field: _Text
    values: Annotated[list[_Text], Field(min_length=2)]
    definition: Bilingual
    rules: Annotated[list[Bilingual], Field(min_length=1)]
    examples: Annotated[list[Example], Field(min_length=1)]

    @model_validator(mode="after")
    def _examples_use_values(self) -> Variable:
        if len(set(self.values)) != len(self.values):
            raise ValueError("values: a value is listed twice")
        for example in self.examples:
            if example.value not in self.values:
                raise ValueError(f"examples: {example.value!r} is not one of {self.values}")
        return self


class Codebook(_Model):
    version: Annotated[str, Field(min_length=1)]
    variables: Annotated[dict[str, Variable], Field(min_length=1)]

    @model_validator(mode="after")
    def _correctable_fields_declared(self) -> Codebook:
        fields = {v.field for v in self.variables.values()}
        missing = [f for f in CORRECTABLE_FIELDS if f not in fields]
        if missing:
            raise ValueError(f"variables: no variable for the correctable field(s) {missing}")
        return self

    def by_field(self, field: str) -> Variable:
        """The variable a correction's or a code's `field` refers to (KeyError when none)."""
        for variable in self.variables.values():
            if variable.field == field:
                return variable
        raise KeyError(field)

    def check(self, field: str, value: str) -> str | None:
        """Why `value` is not allowed for `field`, or None when it is."""
        try:
            variable = self.by_field(field)
        except KeyError:
            return f"unknown field {field!r} (codebook fields: {sorted(self.fields)})"
        if value not in variable.values:
            return f"{value!r} is not a {field} value of the codebook ({variable.values})"
        return None

    @property
    def fields(self) -> list[str]:
        return [v.field for v in self.variables.values()]


def _describe(error: ValidationError, source: str) -> str:
    lines = [f"invalid codebook {source}:"]
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        message = (
            "unknown key (check the spelling)" if item["type"] == "extra_forbidden" else item["msg"]
        )
        lines.append(f"  - {where}: {message}")
    return "\n".join(lines)


def parse_codebook(data: object, source: str = "<dict>") -> Codebook:
    """Validate an already-parsed mapping; raises CodebookError naming each bad key."""
    if not isinstance(data, dict):
        raise CodebookError(f"invalid codebook {source}: the top level must be a mapping")
    try:
        return Codebook.model_validate(data)
    except ValidationError as error:
        raise CodebookError(_describe(error, source)) from None


def load_codebook(path: str | os.PathLike[str] = DEFAULT_CODEBOOK) -> Codebook:
    """Read and validate a codebook file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError(f"codebook {file} not found") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CodebookError(f"invalid codebook {file}: not valid YAML: {error}") from None
    return parse_codebook(data, str(file))


SHIPPED_CODEBOOK = Path(__file__).resolve().parents[1] / DEFAULT_CODEBOOK


def project_codebook(config: EcouteConfig) -> Codebook:
    """The codebook of a project: `codebook.yml` beside its config file, else the shipped one
    (a project that never wrote its own codes with Écoute's default variables)."""
    own = Path(config.resolve(DEFAULT_CODEBOOK))
    return load_codebook(own if own.exists() or not SHIPPED_CODEBOOK.exists() else SHIPPED_CODEBOOK)
