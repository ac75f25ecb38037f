"""`enrichment_version`: a hash of everything a result depends on, so a change redoes the mentions.

No number to bump: the version hashes the logic of the modules that compute results (their syntax
trees without docstrings, so reformatting, comments and docstring edits do not count), the entries
of every lexicon file (comment lines and spacing do not count), the spaCy models, the lingua /
TextBlob versions, the bytes of the shipped learned models (`transform/models/*/`) and the brand
rules. Everything but the brand rules is computed once per process. A logic module is a file or a
package (`targeted/`, every module in it); one not written yet is hashed as absent, so adding it
changes the version.
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Sequence
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from core.config import Brand, EcouteConfig
from transform import lexicon, nlp
from transform.learned import artifact

TRANSFORM_DIR = Path(__file__).parent
# The modules whose code decides a result (not the writer, the worker pool or the evaluation).
LOGIC_MODULES = (
    "backends",
    "brands",
    "caseless",
    "enrich",
    "entities",
    "language",
    "lexicon",
    "nlp",
    "sentiment",
    "targeted",
    "unglued",
    "learned/artifact",
    "learned/features",
    "learned/probe",
    "learned/reviewer",
)


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _without_docstrings(tree: ast.Module) -> ast.Module:
    scopes = ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
    for node in ast.walk(tree):
        if isinstance(node, scopes) and node.body and _is_docstring(node.body[0]):
            node.body = node.body[1:] or [ast.Pass()]
    return tree


def logic_digest(folder: Path = TRANSFORM_DIR) -> str:
    """sha256 of the logic modules' syntax trees, docstrings removed."""
    digest = hashlib.sha256()
    for name in LOGIC_MODULES:
        # A module, or a package of modules (`targeted/`): each file by its path inside `folder`.
        package = folder / name
        paths = [folder / f"{name}.py", *(sorted(package.glob("*.py")) if package.is_dir() else [])]
        paths = [path for path in paths if path.is_file()]
        if not paths:
            digest.update(f"{name}\0absent\0".encode())
        for path in paths:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            label = path.relative_to(folder).with_suffix("").as_posix()
            digest.update(f"{label}\0{ast.dump(_without_docstrings(tree))}\0".encode())
    return digest.hexdigest()


def lexicon_digest(folder: Path = lexicon.LEXICON_DIR) -> str:
    """sha256 of every lexicon file's entries, in file order (the files that ship: `*.txt`)."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.txt")):
        digest.update(f"{path.name}\0".encode())
        for _, fields in lexicon.entries(path):
            digest.update(f"{' '.join(fields)}\n".encode())
    return digest.hexdigest()


@cache
def _fixed_parts(folder: Path) -> dict[str, object]:
    return {
        "logic": logic_digest(folder),
        "lexicons": lexicon_digest(folder / "lexicons"),
        "sentiment_models": artifact.models_digest(folder / "models"),
        "models": nlp.model_versions(),
        "lingua": _package("lingua-language-detector"),
        "textblob": _package("textblob"),
        "textblob-fr": _package("textblob-fr"),
    }


def enrichment_version(
    brands: Sequence[Brand], folder: Path = TRANSFORM_DIR, backend: str = ""
) -> str:
    """16 hex digits; `folder` is the transform package (tests pass a copy).

    `backend` is the sentiment backend's `fingerprint()`, so switching backends (or a plugged
    backend's model) redoes the mentions too.
    """
    # official accounts decide who answers, not what a mention says: they redo nothing
    rules = [b.model_dump(mode="json", exclude={"official_accounts"}) for b in brands]
    parts = {**_fixed_parts(folder), "brands": rules}
    if backend:
        parts["backend"] = backend
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def project_version(config: EcouteConfig) -> str:
    """The version of a project's results: its brands, its sentiment backend's fingerprint (the
    model bytes for `linear`) and the languages it scores, beside the fixed parts."""
    from transform.backends import load_backend

    backend = load_backend(config.sentiment.backend).fingerprint()
    return enrichment_version(
        config.brands, backend=f"{backend}|languages={','.join(config.languages)}"
    )
