"""Build cost against warehouse size: `ecoute bench scale --mentions 10000,100000`.

For each N: seeded mentions (`mention_generator`) written as a file import, a fresh warehouse in a
temporary folder built by the real `ecoute run` (a config with the demo's brands and only the file
import as source), then 1 % new mentions and a second build, then a build with nothing new. Each
build runs in its own process; its step lines are timed as they arrive and the process tree is
sampled from /proc for CPU and memory, so every step (collect, enrich, dbt, publish, other) gets
wall seconds, CPU seconds, rows/s (the build's new mentions over the step's time) and peak RSS (the
whole tree: the build, its enrichment workers, dbt). Printed: one table per N, the incremental and
no-change builds as ratios of the full one, and a linear projection of each build to 10 M mentions
(a straight line through the two largest N, or through the origin with one). Goals (issue 14): 1 M
mentions end to end under 2 h on 2 cores; +1 % under 5 % of the full build; a no-change build whose
cost does not grow with N.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mention_generator  # shipped beside this script, not in a package

from core.config import EcouteConfig, load_config

# `start`: the process up to its first step (imports, definitions, the dbt manifest); `other`:
# steps of none of the four kinds (freshness checks) and the summary after the last step.
STEPS = ("start", "collect", "enrich", "dbt", "publish", "other")
PROJECTION = 10_000_000
_STEP_LINE = re.compile(r"^\s+([…✓✗])\s+(\S+)\s*$")
_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICK = os.sysconf("SC_CLK_TCK")


def step_of(step_key: str) -> str:
    """The bench's step for a Dagster step key."""
    key = step_key.lower()
    if "dbt" in key:
        return "dbt"
    if "enrich" in key or "evaluation" in key:
        return "enrich"
    if "serving" in key or "alert" in key or "monitoring" in key:
        return "publish"
    if any(word in key for word in ("source", "import", "ingest", "corrections", "privacy")):
        return "collect"  # raw data in, and the authors pseudonymised before anything reads it
    return "other"


def _tree(root: int) -> list[int]:
    """`root` and every live descendant (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def tree_usage(root: int) -> tuple[float, float]:
    """(CPU seconds, RSS in MB) of the process tree under `root`: each live process's own and
    waited-for children's CPU (so a finished dbt or worker still counts), and the live RSS."""
    cpu, rss = 0.0, 0
    for pid in _tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text()
            statm = Path(f"/proc/{pid}/statm").read_text()
        except OSError:
            continue
        values = fields[fields.rindex(")") + 2 :].split()
        cpu += sum(int(v) for v in values[11:15]) / _TICK  # utime stime cutime cstime
        rss += int(statm.split()[1]) * _PAGE
    return cpu, rss / 2**20


@dataclass
class StepFigures:
    seconds: float = 0.0
    cpu: float = 0.0
    peak_mb: float = 0.0


@dataclass
class Build:
    """One `ecoute run`: its steps, totals and whether it succeeded."""

    label: str
    mentions: int  # new mentions in this build
    ok: bool = False
    seconds: float = 0.0
    cpu: float = 0.0
    peak_mb: float = 0.0
    load: float = 0.0
    steps: dict[str, StepFigures] = field(default_factory=lambda: {s: StepFigures() for s in STEPS})
    output: list[str] = field(default_factory=list)
    keys: dict[str, list[str]] = field(default_factory=dict)  # bench step -> Dagster step keys


def run_build(config_file: Path, label: str, mentions: int, sample_s: float = 0.2) -> Build:
    """`ecoute run --config config_file` in a child process, timed step by step."""
    build = Build(label, mentions)
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "ECOUTE_CONFIG")}
    code = "from ecoute.cli import main; main()"
    cpu_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, "run", "--config", str(config_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    current = ["start"]
    mark = [time.perf_counter(), 0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(sample_s):
            _, rss = tree_usage(process.pid)
            figures = build.steps[current[0]]
            figures.peak_mb = max(figures.peak_mb, rss)
            build.peak_mb = max(build.peak_mb, rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()

    def close_step(now: float) -> None:
        cpu, _ = tree_usage(process.pid)
        figures = build.steps[current[0]]
        figures.seconds += now - mark[0]
        figures.cpu += max(0.0, cpu - mark[1])
        mark[:] = [now, cpu]

    assert process.stdout is not None
    for line in process.stdout:
        build.output.append(line.rstrip("\n"))
        match = _STEP_LINE.match(line)
        if match is None:
            continue
        close_step(time.perf_counter())
        current[0] = step_of(match.group(2)) if match.group(1) == "…" else "other"
        if match.group(1) == "…":
            build.keys.setdefault(current[0], []).append(match.group(2))
    process.wait()
    stop.set()
    sampler.join()
    build.seconds = time.perf_counter() - started
    build.steps[current[0]].seconds += time.perf_counter() - mark[0]
    build.cpu = _children_cpu() - cpu_before
    build.steps["other"].cpu += max(0.0, build.cpu - sum(s.cpu for s in build.steps.values()))
    build.ok = process.returncode == 0
    build.load = os.getloadavg()[0]
    return build


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_config(folder: Path, base: EcouteConfig) -> Path:
    """A project file in `folder`: the base config's brands, languages, objectives and
    sentiment backend, the file import of `folder/imports/*.jsonl` as the only source, and the
    warehouse in `folder`."""
    source = yaml.safe_load(Path(base.source_file).read_text(encoding="utf-8")) or {}
    data: dict[str, Any] = {
        key: source[key]
        for key in ("project", "languages", "brands", "objectives", "sentiment", "privacy")
        if key in source
    }
    data["sources"] = {"file_import": {"paths": ["imports/*.jsonl"]}}
    data["warehouse"] = {
        "engine": "duckdb",
        "path": "warehouse.duckdb",
        "serving_path": "serving.duckdb",
    }
    path = folder / "ecoute.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "imports").mkdir(exist_ok=True)
    return path


@contextmanager
def _folder(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="ecoute-scale-") as name:
        yield Path(name)


def scale_run(
    base: EcouteConfig, n: int, say: Callable[[str], None] = print, keep: Path | None = None
) -> list[Build]:
    """Full build of `n` mentions, +1 % new, then no change; the three builds."""
    new = max(1, n // 100)
    with _folder(keep) as folder:
        config_file = write_config(folder, base)
        imports = folder / "imports"
        started = time.perf_counter()
        mention_generator.write(imports / "mentions-0001.jsonl", base, 0, n)
        say(f"N={n:,}: generated {n:,} mentions in {time.perf_counter() - started:.1f}s")
        builds = [run_build(config_file, "full", n)]
        mention_generator.write(
            imports / "mentions-0002.jsonl", base, n, new, days=mention_generator.NEW_DAYS
        )
        builds.append(run_build(config_file, "+1 %", new))
        builds.append(run_build(config_file, "no change", 0))
        for build in builds:
            if not build.ok:
                tail = "\n".join(build.output[-30:])
                raise RuntimeError(f"the {build.label} build of N={n} failed:\n{tail}")
    return builds


def table(n: int, builds: list[Build]) -> list[str]:
    """One row per build and step: seconds, CPU seconds, rows/s, peak MB."""
    full = builds[0]
    out = [
        f"N = {n:,}",
        f"{'build':<10} {'step':<8} {'wall s':>8} {'cpu s':>8} {'rows/s':>9} {'peak MB':>8}",
    ]
    for build in builds:
        for step in STEPS:
            figures = build.steps[step]
            if figures.seconds < 0.05 and step == "other":
                continue
            rate = build.mentions / figures.seconds if figures.seconds and build.mentions else 0
            out.append(
                f"{build.label:<10} {step:<8} {figures.seconds:8.1f} {figures.cpu:8.1f}"
                f" {rate:9.0f} {figures.peak_mb:8.0f}"
            )
        out.append(
            f"{build.label:<10} {'total':<8} {build.seconds:8.1f} {build.cpu:8.1f}"
            f" {build.mentions / build.seconds:9.0f} {build.peak_mb:8.0f}   load {build.load:.2f}"
        )
    out.extend(f"  {step}: {', '.join(keys)}" for step, keys in full.keys.items())
    for build in builds[1:]:
        out.append(
            f"{build.label} / full: wall {build.seconds / full.seconds:.3f},"
            f" cpu {build.cpu / full.cpu:.3f}"
        )
    return out


def projection(results: dict[int, list[Build]], target: int = PROJECTION) -> list[str]:
    """Each build's wall and CPU seconds at `target` mentions on a straight line through the
    two largest N (through the origin when only one N ran)."""
    sizes = sorted(results)
    how = (
        f"a line through N = {sizes[-2]:,} and {sizes[-1]:,}"
        if len(sizes) > 1
        else "one size: every second counted as per mention, an upper bound; give two sizes"
    )
    out = [f"projection to {target:,} mentions ({how}):"]

    def at(index: int, measure: Callable[[Build], float]) -> float:
        points = [(n, measure(results[n][index])) for n in sizes[-2:]]
        if len(points) == 1:
            ((n, value),) = points
            return value * target / n
        (n0, v0), (n1, v1) = points
        return v1 + (v1 - v0) / (n1 - n0) * (target - n1)

    for index, label in enumerate(("full", "+1 %", "no change")):
        wall, cpu = at(index, lambda b: b.seconds), at(index, lambda b: b.cpu)
        out.append(f"  {label:<10} wall {wall / 3600:7.2f} h   cpu {cpu / 3600:7.2f} h")
    return out


def run(
    base: EcouteConfig,
    sizes: list[int],
    say: Callable[[str], None] = print,
    keep: Path | None = None,
) -> dict[int, list[Build]]:
    results = {}
    for n in sizes:
        results[n] = scale_run(base, n, say, keep / str(n) if keep else None)
        for line in table(n, results[n]):
            say(line)
    for line in projection(results):
        say(line)
    return results


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", default="10000", help="Comma-separated sizes.")
    parser.add_argument("--config", default=None)
    parser.add_argument("--keep", default=None, help="Build in this folder and keep it.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.mentions.split(",")]
    run(load_config(args.config), sizes, keep=Path(args.keep) if args.keep else None)


if __name__ == "__main__":
    main()
