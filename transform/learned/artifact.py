"""The linear model's artifact (no pickle) and its inference with numpy/scipy only.

One folder per language under `transform/models/<lang>/`:
- `model.npz`: `idf` (V), `sparse_coef` (V×K), `dense_coef` (D×K), `intercept` (K),
  `dense_mean` and `dense_scale` (D), `offsets` (K, the decision thresholds as log-odds shifts);
- `vocabulary.json`: the V n-gram terms in column order;
- `meta.json`: labels, temperature, feature settings, versions, seed, training inputs with sha256,
  figures, and its scores on the probe texts when it was trained (`transform.learned.probe`).
Arrays and vocabularies stay loadable whatever scikit-learn becomes; inference is a sparse product.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import math
import zipfile
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]

from transform.learned import features, probe

log = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
BRAND_FOLDER = "brand"  # the brand-window models: `<models>/brand/<lang>/`
FORMAT = 1
FILES = ("model.npz", "vocabulary.json", "meta.json")
REVIEW_FILE = "review.json"  # a brand folder's per-brand reviewer (`transform.learned.reviewer`)
ARRAYS = ("idf", "sparse_coef", "dense_coef", "intercept", "dense_mean", "dense_scale", "offsets")


class ArtifactError(Exception):
    """A model folder that is missing, incomplete or inconsistent."""


class TermColumns:
    """The vocabulary columns of a text's `features.sparse_terms`, cached per space-free chunk of
    the normalised text (a chunk recurs across texts far more often than it is new): its word
    tokens, and the columns of its word unigrams and character n-grams. Only the word bigrams,
    which cross chunks, are looked up per text. Columns are kept in 64-bit `array`s, which join
    by copying memory and reach numpy without a conversion per item."""

    def __init__(self, vocabulary: dict[str, int], cache_words: int = 100_000) -> None:
        self.vocabulary = vocabulary
        self._chunk = lru_cache(maxsize=cache_words)(self._of_chunk)

    def _of_chunk(self, chunk: str) -> tuple[tuple[str, ...], array[int]]:
        # `features.word_terms`' tokens never hold a space, so a text's are its chunks' in order.
        words = tuple(features.word_tokens(chunk))
        found = map(self.vocabulary.get, [f"w:{w}" for w in words] + features.char_terms(chunk))
        return words, array("q", [j for j in found if j is not None])

    def of(self, normalised: str) -> array[int]:
        """Known columns of every term, repeated as often as the term occurs (in no set order)."""
        columns: array[int] = array("q")
        words: list[str] = []
        for chunk in normalised.split(" "):
            chunk_words, chunk_columns = self._chunk(chunk)
            words.extend(chunk_words)
            columns.extend(chunk_columns)
        if len(words) > 1:
            found = map(self.vocabulary.get, [f"w:{a} {b}" for a, b in pairwise(words)])
            columns.extend(j for j in found if j is not None)
        return columns


@dataclass
class LinearModel:
    lang: str
    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray
    sparse_coef: np.ndarray
    dense_coef: np.ndarray
    intercept: np.ndarray
    dense_mean: np.ndarray
    dense_scale: np.ndarray
    offsets: np.ndarray
    temperature: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)
    columns: TermColumns = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.columns = TermColumns(self.vocabulary)


def sparse_matrix(
    texts: Sequence[str],
    vocabulary: dict[str, int],
    idf: np.ndarray,
    columns: TermColumns | None = None,
) -> sparse.csr_matrix:
    """Sublinear tf × idf of the known n-grams, each row L2-normalised (`columns`: a model's
    cached `TermColumns` of `vocabulary`, the same figures).

    Counting, weighting and scaling run on the whole batch in numpy; each row's norm is summed in
    Python, term by term in column order, so the matrix is the textbook one to the bit.
    """
    columns = TermColumns(vocabulary) if columns is None else columns
    found: array[int] = array("q")
    lengths: list[int] = []
    for text in texts:
        row = columns.of(features.normalise(text))
        found.extend(row)
        lengths.append(len(row))
    n, width = len(texts), len(vocabulary)
    # One key per (row, column), sorted; 32-bit keys when they fit sort faster.
    index = np.int32 if n * width < 2**31 else np.int64
    rows: np.ndarray = np.repeat(np.arange(n, dtype=index), lengths)
    terms = np.frombuffer(found, dtype=np.int64).astype(index, copy=False)
    keys, counts = np.unique(rows * width + terms, return_counts=True)
    row_of, column = np.divmod(keys, width)
    weights = np.asarray(idf, dtype=np.float64)[column]
    repeated = counts > 1
    if repeated.any():
        # 1 + log(count), from `math.log` as the textbook formula; a single count weighs 1.
        logs = np.array([1.0] + [1.0 + math.log(c) for c in range(1, int(counts.max()) + 1)])
        weights[repeated] = logs[counts[repeated]] * weights[repeated]
    # (the probes in the keys' own type: numpy would otherwise convert every key to compare)
    indptr = np.searchsorted(row_of, np.arange(n + 1, dtype=row_of.dtype))
    squares = (weights * weights).tolist()
    norms = [math.sqrt(sum(squares[a:b])) or 1.0 for a, b in pairwise(indptr.tolist())]
    values = weights / np.repeat(np.asarray(norms, dtype=np.float64), np.diff(indptr))
    return sparse.csr_matrix((values, column, indptr), shape=(n, width))


def dense_matrix(texts: Sequence[str], lang: str) -> np.ndarray:
    return np.asarray([features.dense_features(t, lang) for t in texts], dtype=np.float64).reshape(
        len(texts), len(features.DENSE_NAMES)
    )


def logits(model: LinearModel, texts: Sequence[str]) -> np.ndarray:
    """Uncalibrated class scores, N×K.

    Features are built once per distinct text (a batch's brand windows repeat: the same clause
    with its brand masked; so do copied posts) and their rows repeated, so the products run on
    the same N-row matrices as without it: the same figures to the bit.
    """
    distinct, rows = _distinct(texts)
    words = sparse_matrix(distinct, model.vocabulary, model.idf, model.columns)
    dense = dense_matrix(distinct, model.lang)
    if len(distinct) < len(texts):
        words, dense = words[rows], dense[rows]
    dense = (dense - model.dense_mean) / model.dense_scale
    return np.asarray(words @ model.sparse_coef) + dense @ model.dense_coef + model.intercept


def _distinct(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """The distinct texts in first-seen order, and each text's row among them."""
    index: dict[str, int] = {}
    rows = [index.setdefault(text, len(index)) for text in texts]
    return list(index), rows


def softmax(values: np.ndarray) -> np.ndarray:
    shifted = values - values.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def probabilities(model: LinearModel, texts: Sequence[str]) -> np.ndarray:
    """Calibrated class probabilities (temperature-scaled softmax), N×K in `model.labels` order."""
    return softmax(logits(model, texts) / model.temperature)


def decide(
    labels: Sequence[str], probs: np.ndarray, offsets: np.ndarray
) -> list[tuple[str, float, float]]:
    """(label, P(pos) − P(neg), P(label)) per row; the label maximises log P + offset."""
    chosen = np.argmax(np.log(np.clip(probs, 1e-12, None)) + offsets, axis=1)
    pos, neg = labels.index("positive"), labels.index("negative")
    return [
        (labels[k], round(float(p[pos] - p[neg]), 4), round(float(p[k]), 4))
        for k, p in zip(chosen, probs, strict=True)
    ]


def predict(model: LinearModel, texts: Sequence[str]) -> list[tuple[str, float, float]]:
    if not texts:
        return []
    return decide(model.labels, probabilities(model, texts), model.offsets)


def probe_record(model: LinearModel) -> dict[str, Any]:
    """The model's logits on its language's probe texts, for its meta (empty without them)."""
    texts = probe.probe_texts(model.lang)
    return probe.record(texts, logits(model, texts)) if texts else {}


def probe_drift(model: LinearModel) -> float | None:
    """How far the model's logits on the probe texts now are from those recorded when it was
    trained (0 when this code computes its features as then); None when it cannot be told."""
    texts = probe.probe_texts(model.lang)
    if not texts:
        return None
    return probe.drift(model.meta.get("probe"), texts, logits(model, texts))


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An `.npz` with fixed member dates and order, so the same arrays give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(
                member, np.ascontiguousarray(arrays[name]), allow_pickle=False
            )
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def save(model: LinearModel, folder: Path) -> None:
    """Write the three files of `model` to `folder` (created), deterministically."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {name: getattr(model, name) for name in ARRAYS}
    (folder / "model.npz").write_bytes(_npz_bytes(arrays))
    terms = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    (folder / "vocabulary.json").write_text(
        json.dumps(terms, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    meta = {
        **model.meta,
        "format": FORMAT,
        "lang": model.lang,
        "labels": list(model.labels),
        "temperature": model.temperature,
        "dense_features": list(features.DENSE_NAMES),
        "word_ngrams": list(features.WORD_NGRAMS),
        "char_ngrams": list(features.CHAR_NGRAMS),
    }
    (folder / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def load(folder: Path, lang: str) -> LinearModel:
    """The model in `folder/lang`; ArtifactError says what is wrong with it."""
    where = folder / lang
    missing = [name for name in FILES if not (where / name).is_file()]
    if missing:
        raise ArtifactError(f"{where}: missing {', '.join(missing)}")
    try:
        meta = json.loads((where / "meta.json").read_text(encoding="utf-8"))
        terms = json.loads((where / "vocabulary.json").read_text(encoding="utf-8"))
        with np.load(where / "model.npz", allow_pickle=False) as npz:
            arrays = {name: np.asarray(npz[name], dtype=np.float64) for name in ARRAYS}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise ArtifactError(f"{where}: unreadable ({error})") from None
    if meta.get("format") != FORMAT:
        raise ArtifactError(f"{where}: format {meta.get('format')!r}, expected {FORMAT}")
    if meta.get("dense_features") != list(features.DENSE_NAMES):
        raise ArtifactError(f"{where}: dense features differ from this code's; retrain")
    labels = tuple(meta.get("labels", ()))
    k, v, d = len(labels), len(terms), len(features.DENSE_NAMES)
    expected = {
        "idf": (v,),
        "sparse_coef": (v, k),
        "dense_coef": (d, k),
        "intercept": (k,),
        "dense_mean": (d,),
        "dense_scale": (d,),
        "offsets": (k,),
    }
    wrong = [n for n, shape in expected.items() if arrays[n].shape != shape]
    if wrong or {"positive", "negative"} - set(labels):
        raise ArtifactError(f"{where}: inconsistent arrays {', '.join(wrong) or 'labels'}")
    return LinearModel(
        lang=lang,
        labels=labels,
        vocabulary={term: j for j, term in enumerate(terms)},
        temperature=float(meta.get("temperature", 1.0)),
        meta=meta,
        **arrays,
    )


def load_or_warn(folder: Path, lang: str) -> LinearModel | None:
    """The model, or None with a logged warning (the caller then uses the rules)."""
    if not (folder / lang).is_dir():
        log.info("no learned sentiment model for %r in %s; the rules score it", lang, folder)
        return None
    try:
        return load(folder, lang)
    except ArtifactError as error:
        log.warning("learned sentiment model unusable, the rules score %r instead: %s", lang, error)
        return None


def models_digest(folder: Path = MODELS_DIR) -> str:
    """sha256 over every artifact file's bytes (path and content; the brand-window models and
    reviewers in `brand/<lang>/` too), so a new model changes it."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.name in (*FILES, REVIEW_FILE) and path.is_file():
            digest.update(f"{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
