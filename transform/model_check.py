"""Whether the learned models in a folder still read what this code computes.

Each model recorded its scores on fixed probe texts when it was trained (`learned.probe`): the
post model and the brand-window model their logits, the per-brand reviewer its probabilities on
the probe posts' pairs. Read again now, a difference means the code that computes their features
(the rules, the lexicons, the brand windows, the reviewer's evidence) changed since: the model is
stale and `ecoute train sentiment` rebuilds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from transform.backends import LinearBackend
from transform.brand_training import reviewer_drift
from transform.learned import artifact, probe


@dataclass(frozen=True)
class ModelCheck:
    """One model's probe comparison: `drift` None when absent or nothing was recorded."""

    model: str
    lang: str
    present: bool
    drift: float | None

    @property
    def status(self) -> str:
        if not self.present:
            return "absent"
        if self.drift is None:
            return "unchecked (no probe recorded)"
        return "stale: retrain" if self.stale else "current"

    @property
    def stale(self) -> bool:
        """Present, with a probe recorded, and read otherwise now."""
        return self.present and self.drift is not None and self.drift > probe.TOLERANCE


def check_models(
    folder: Path = artifact.MODELS_DIR, langs: Sequence[str] = ("en", "fr")
) -> list[ModelCheck]:
    """The post model, brand-window model and reviewer of each language in `folder`."""
    backend = LinearBackend(folder)
    checks = []
    for lang in langs:
        post, window = backend.model(lang), backend.window_model(lang)
        fitted = backend.brand_reviewer(lang)
        post_drift = None if post is None else artifact.probe_drift(post)
        window_drift = None if window is None else artifact.probe_drift(window)
        fitted_drift = None if fitted is None else reviewer_drift(backend, lang)
        checks += [
            ModelCheck("sentiment", lang, post is not None, post_drift),
            ModelCheck("brand-window", lang, window is not None, window_drift),
            ModelCheck("reviewer", lang, fitted is not None, fitted_drift),
        ]
    return checks
