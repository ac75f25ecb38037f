"""The listening project as code: one validated `ecoute.yml`.

A config names the brands (with aliases, context terms and exclusions for ambiguous names), the
competitor set, the languages, the sources to collect from, the KPIs the project tracks, where the
warehouse lives and, for the bundled demo, the seeded world to serve on loopback.

`${VAR}` and `${VAR:-default}` in any string value are replaced from the environment, so one file
serves a laptop, CI and production (ports, hosts, secrets).
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

DEFAULT_CONFIG = "ecoute.yml"
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_MEMORY_SIZE = re.compile(r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>[KMGT]i?B|%)", re.IGNORECASE)
"""A DuckDB memory size: decimal (KB = 1000 B) or binary (KiB = 1024 B) units, or a % of RAM."""
_MEMORY_UNITS = {"KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
_MEMORY_UNITS |= {"KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}
MIN_MEMORY_LIMIT_BYTES = 100_000_000
"""The smallest `warehouse.memory_limit` taken: less leaves a build no room (likely a typo)."""


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file and the bad key."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Alias(_Model):
    """One way people write a brand. `needs_context` marks an ambiguous spelling (a common word)."""

    text: Annotated[str, Field(min_length=1, max_length=100)]
    case_sensitive: bool = False
    needs_context: bool = False

    @field_validator("text")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("alias text is blank")
        return value


class Brand(_Model):
    """A tracked brand (own or competitor) and the rules that decide a text mentions it."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    competitor: bool = False
    aliases: list[Alias] = Field(default_factory=list)
    context: list[str] = Field(
        default_factory=list,
        description="Terms one of which must appear in the text for an alias with needs_context.",
    )
    exclusions: list[str] = Field(
        default_factory=list,
        description="Phrases that veto a match when the alias occurs inside them.",
    )
    query: str | None = Field(
        default=None,
        description='A boolean query (AND, OR, NOT, NEAR/n, "phrases", {Case}, site:, lang:) '
        "that decides the brand instead of the aliases; see core/query.py.",
    )
    official_accounts: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list,
        description="Handles the brand answers customers from (any source, case-insensitive); "
        "shown in clear like privacy.public_accounts. Needed by the responsiveness KPIs.",
    )

    @field_validator("official_accounts")
    @classmethod
    def _clean_handles(cls, value: list[str]) -> list[str]:
        handles = [v.strip().removeprefix("@") for v in value]
        if any(not h for h in handles):
            raise ValueError("an official account handle is blank")
        folded = [h.casefold() for h in handles]
        dupes = sorted({h for h in folded if folded.count(h) > 1})
        if dupes:
            raise ValueError(f"official accounts repeated: {', '.join(dupes)}")
        return handles

    @field_validator("query")
    @classmethod
    def _query_parses(cls, value: str | None) -> str | None:
        """A query that does not parse fails at load, with the column of the error."""
        if value is None:
            return None
        from core.query import QuerySyntaxError, parse

        try:
            parse(value)
        except QuerySyntaxError as error:
            raise ValueError(
                f"query syntax error at column {error.column}: {error.message} ({value!r})"
            ) from None
        return value

    @field_validator("aliases", mode="before")
    @classmethod
    def _alias_shorthand(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"text": v} if isinstance(v, str) else v for v in value]
        return value

    @property
    def all_aliases(self) -> list[Alias]:
        """The aliases, with the brand name itself first unless it is already listed."""
        listed = {a.text.casefold() for a in self.aliases}
        own = [] if self.name.casefold() in listed else [Alias(text=self.name)]
        return own + list(self.aliases)


ObjectiveKpi = Literal[
    "volume",
    "share_of_voice",
    "net_sentiment",
    "negative_share",
    "response_rate_24h",
    "median_response_hours",
]
RESPONSIVENESS_KPIS = ("response_rate_24h", "median_response_hours")
"""KPIs read from the brand's official answers: the brand needs `official_accounts`."""
SHARE_KPIS = ("share_of_voice", "negative_share", "response_rate_24h")


class Objective(_Model):
    """A KPI the project tracks per day, shown against its target (`mart_objectives_daily`).

    `volume`: brand mentions a day; `share_of_voice`, `negative_share`: shares in [0, 1];
    `net_sentiment`: (positive - negative) / mentions in [-1, 1]; `response_rate_24h`: share of
    the threads where a customer asked or complained that day that an official account of the
    brand answered within 24 h; `median_response_hours`: median hours to that first answer.
    """

    name: Annotated[str, Field(min_length=1, max_length=200)]
    kpi: ObjectiveKpi
    brand: str
    target: float
    direction: Literal["above", "below"] = "above"

    @model_validator(mode="after")
    def _target_in_range(self) -> Objective:
        if self.kpi in SHARE_KPIS and not 0 <= self.target <= 1:
            raise ValueError(f"a {self.kpi} target is a share in [0, 1], got {self.target}")
        if self.kpi == "net_sentiment" and not -1 <= self.target <= 1:
            raise ValueError(f"a net_sentiment target is in [-1, 1], got {self.target}")
        if self.kpi in ("volume", "median_response_hours") and self.target < 0:
            raise ValueError(f"a {self.kpi} target cannot be negative, got {self.target}")
        return self


class WebSource(_Model):
    """A site to crawl: start pages, sitemaps and feeds, same-site links within caps."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    enabled: bool = True
    start_urls: list[str] = Field(default_factory=list)
    sitemaps: list[str] = Field(default_factory=list)
    feeds: list[str] = Field(default_factory=list)
    max_pages: Annotated[int, Field(gt=0)] = 500
    max_depth: Annotated[int, Field(ge=0)] = 2

    @model_validator(mode="after")
    def _has_seed(self) -> WebSource:
        if not (self.start_urls or self.sitemaps or self.feeds):
            raise ValueError("a web source needs at least one of start_urls, sitemaps, feeds")
        return self


class ApiSource(_Model):
    """What every API source shares: switch, request budget, retry/backoff and rate limits.

    Retries cover 429/5xx and dropped connections with exponential backoff; `Retry-After` and
    rate-limit reset headers are honoured but never waited on longer than `max_retry_delay_s`.
    """

    enabled: bool = True
    request_max_attempts: Annotated[int, Field(gt=0, le=20)] = 5
    request_backoff_s: Annotated[float, Field(ge=0)] = 1.0
    max_retry_delay_s: Annotated[float, Field(ge=0)] = 60.0
    timeout_s: Annotated[float, Field(gt=0)] = 30.0
    max_response_bytes: Annotated[int, Field(gt=0)] = 5_000_000
    max_pages: Annotated[int, Field(gt=0)] = 50
    overlap_s: Annotated[int, Field(ge=0)] = Field(
        default=300, description="Re-read this much before the cursor: late-indexed posts."
    )


class HackerNewsSource(ApiSource):
    """Hacker News through the Algolia search API (or any server speaking its format)."""

    base_url: str = "https://hn.algolia.com/api/v1"
    queries: list[str] = Field(
        default_factory=list, description="Search terms; empty means every brand alias."
    )
    hits_per_page: Annotated[int, Field(gt=0, le=1000)] = 100
    initial_days: Annotated[int, Field(gt=0)] = 30


class MastodonSource(ApiSource):
    """Public hashtag timelines (and, with a token, status search) on Mastodon instances."""

    instances: list[str] = Field(default_factory=lambda: ["https://mastodon.social"])
    hashtags: list[str] = Field(default_factory=list)
    queries: list[str] = Field(default_factory=list)
    access_token_env: str = Field(
        default="MASTODON_ACCESS_TOKEN",
        description="Environment variable with a token (search of statuses needs one).",
    )
    page_size: Annotated[int, Field(gt=0, le=40)] = 40
    initial_days: Annotated[int, Field(gt=0)] = 7


class BlueskySource(ApiSource):
    """Public post search on Bluesky's AppView; empty `queries` means every brand alias."""

    base_url: str = "https://public.api.bsky.app"
    queries: list[str] = Field(default_factory=list)
    page_size: Annotated[int, Field(gt=0, le=100)] = 100
    initial_days: Annotated[int, Field(gt=0)] = 7


class RedditSource(ApiSource):
    """Reddit search; OAuth client credentials from dlt secrets or REDDIT_CLIENT_ID/_SECRET."""

    base_url: str = "https://www.reddit.com"
    oauth_base_url: str = "https://oauth.reddit.com"
    queries: list[str] = Field(default_factory=list)
    subreddits: list[str] = Field(default_factory=list)
    page_size: Annotated[int, Field(gt=0, le=100)] = 100
    initial_days: Annotated[int, Field(gt=0)] = 7
    comment_trees: Annotated[bool, Field(description="Fetch each matched post's comments.")] = True
    max_more_requests: Annotated[
        int, Field(ge=0, le=100, description="`/api/morechildren` calls per submission.")
    ] = 10


class FeedSource(ApiSource):
    """RSS/Atom feeds whose entries are posts in their own right."""

    urls: list[str] = Field(min_length=1)


class FileImport(_Model):
    """JSONL / CSV exports from other tools, so a user can bring history."""

    enabled: bool = True
    paths: list[str] = Field(min_length=1, description="Files or glob patterns.")
    source_name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")] = "import"
    max_record_chars: Annotated[int, Field(gt=0)] = 1_000_000


class Sources(_Model):
    web: list[WebSource] = Field(default_factory=list)
    hackernews: HackerNewsSource | None = None
    mastodon: MastodonSource | None = None
    bluesky: BlueskySource | None = None
    reddit: RedditSource | None = None
    feeds: FeedSource | None = None
    file_import: FileImport | None = None

    @field_validator("web")
    @classmethod
    def _unique_names(cls, value: list[WebSource]) -> list[WebSource]:
        names = [s.name for s in value]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"web source names must be unique, repeated: {', '.join(dupes)}")
        return value


class Crawler(_Model):
    """How the crawler behaves on other people's servers."""

    user_agent: str = "EcouteBot/0.1"
    contact_url: str = "https://github.com/ecoute/ecoute"
    request_delay_s: Annotated[float, Field(ge=0)] = 1.0
    connect_timeout_s: Annotated[float, Field(gt=0)] = 5.0
    read_timeout_s: Annotated[float, Field(gt=0)] = 15.0
    total_timeout_s: Annotated[float, Field(gt=0)] = Field(
        default=60.0, description="Wall-clock limit per response (slow endless bodies)."
    )
    max_bytes: Annotated[int, Field(gt=0)] = 5_000_000
    max_crawl_delay_s: Annotated[float, Field(ge=0)] = Field(
        default=30.0, description="Upper bound on a robots.txt Crawl-delay we honour."
    )
    allow_hosts: list[str] = Field(
        default_factory=list,
        description=(
            "Hosts allowed even though they resolve to private or loopback addresses, on any "
            "port (the demo's 127.0.0.1)."
        ),
    )
    allow_ports: list[Annotated[int, Field(ge=1, le=65535)]] = Field(
        default_factory=list,
        description="Ports allowed on public hosts besides 80 and 443 (default: none).",
    )


class Warehouse(_Model):
    """Where the data lands. `engine` picks the dlt destination, dbt target and app's reader.

    MotherDuck: `engine: motherduck` with `path: md:<database>`; its token stays in the
    environment (`MOTHERDUCK_TOKEN`, read by dlt and by DuckDB's MotherDuck extension)."""

    engine: Literal["duckdb", "postgres", "motherduck"] = "duckdb"
    path: str = ".ecoute/warehouse.duckdb"
    serving_path: str = ".ecoute/serving.duckdb"
    postgres_dsn_env: str = Field(
        default="ECOUTE_POSTGRES_DSN",
        description="Environment variable holding the DSN, without its password.",
    )
    postgres_password_env: str = Field(
        default="ECOUTE_POSTGRES_PASSWORD",
        description="Environment variable holding the Postgres password (dlt, dbt and the app).",
    )
    reader_dsn_env: str = Field(
        default="ECOUTE_POSTGRES_READER_DSN",
        description=(
            "Environment variable holding the readers' DSN (the page, the alert sensor, "
            "`ecoute sql`), without its password: a login role an administrator created, which "
            "each publish lets read the published schema and nothing else. Unset: readers use "
            "the build's DSN in read-only sessions."
        ),
    )
    reader_password_env: str = Field(
        default="ECOUTE_POSTGRES_READER_PASSWORD",
        description="Environment variable holding the reader role's password, if it has one.",
    )
    memory_limit: str | None = Field(
        default=None,
        description=(
            'DuckDB\'s memory limit in each process opening the warehouse ("2GB", "512MiB", '
            '"50%" of RAM): past it joins, aggregates and sorts spill to disk. Unset: DuckDB\'s '
            "default, 80 % of RAM."
        ),
    )
    threads: Annotated[int, Field(ge=1)] | None = Field(
        default=None,
        description="DuckDB's worker threads. Unset: DuckDB's default, one per core.",
    )

    @field_validator("memory_limit")
    @classmethod
    def _memory_size(cls, value: str | None) -> str | None:
        """A size DuckDB reads (a number and KB…TB, KiB…TiB, or % of RAM) and a build can run in."""
        if value is None:
            return None
        size = _MEMORY_SIZE.fullmatch(value.strip())
        if size is None:
            raise ValueError(
                f'not a memory size: {value!r} (write it as DuckDB does, e.g. "2GB", "512MB", '
                '"1.5GiB", or "50%" of RAM)'
            )
        number, unit = float(size["number"]), size["unit"].upper()
        if unit == "%" and not 0 < number <= 100:
            raise ValueError(f"a share of RAM is in (0, 100] %, got {value!r}")
        if unit != "%" and number * _MEMORY_UNITS[unit] < MIN_MEMORY_LIMIT_BYTES:
            raise ValueError(f"{value!r} is too little for a build: give DuckDB at least 100MB")
        return value.strip()

    @model_validator(mode="after")
    def _motherduck_path(self) -> Warehouse:
        remote = self.path.startswith("md:")
        if self.engine == "motherduck" and not re.fullmatch(r"md:[A-Za-z_][\w-]*", self.path):
            raise ValueError(
                f"engine motherduck needs path: md:<database> (got {self.path!r}); the token "
                "goes in MOTHERDUCK_TOKEN, never in the file"
            )
        if remote and self.engine != "motherduck":
            raise ValueError(f"path {self.path!r} is a MotherDuck database: set engine: motherduck")
        return self


class Notifier(_Model):
    """Where new alerts go: a log line (default), a JSON webhook, a Slack incoming webhook, e-mail.

    Secrets (webhook URLs with tokens, SMTP passwords) are named by environment variable, never
    written in the file.
    """

    kind: Literal["log", "webhook", "slack", "email"] = "log"
    url_env: str | None = Field(
        default=None, description="Environment variable holding the webhook / Slack URL."
    )
    url: str | None = Field(default=None, description="Webhook URL without secrets (tests).")
    smtp_host: str = "localhost"
    smtp_port: Annotated[int, Field(gt=0, lt=65536)] = 587
    smtp_starttls: bool = True
    smtp_user_env: str | None = None
    smtp_password_env: str | None = None
    sender: str = "ecoute@localhost"
    recipients: list[str] = Field(default_factory=list)
    timeout_s: Annotated[float, Field(gt=0)] = 10.0

    @model_validator(mode="after")
    def _complete(self) -> Notifier:
        if self.kind in ("webhook", "slack") and not (self.url or self.url_env):
            raise ValueError(f"a {self.kind} notifier needs url_env (or url)")
        if self.kind == "email" and not self.recipients:
            raise ValueError("an email notifier needs recipients")
        return self


class Monitoring(_Model):
    """How fresh each source must be, and who hears about alerts."""

    source_max_age_hours: Annotated[float, Field(gt=0)] = 26.0
    notifier: Notifier = Field(default_factory=Notifier)


class Demo(_Model):
    """The seeded fictional market served on loopback while the build runs (bundled demo only)."""

    seed: int = 42
    mentions: Annotated[int, Field(gt=0)] = 3000
    days: Annotated[int, Field(gt=0)] = 90
    start: date = date(2026, 7, 1)
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, lt=65536)] = 8765


class SentimentSettings(_Model):
    """Which sentiment classifier scores mentions (`transform.backends`)."""

    backend: str = Field(
        default="linear",
        pattern=r"^[A-Za-z_][\w.\-]*(:[A-Za-z_][\w.]*)?$",
        description=(
            "`linear`: the shipped learned model per language; `rules`: the lexicon rules; or an "
            "`ecoute.sentiment_backends` entry point, or `module:factory` (transform.backends)."
        ),
    )


class Privacy(_Model):
    """Pseudonymised authors and a retention limit, on by default (GDPR)."""

    pseudonymise_authors: bool = True
    retention_days: Annotated[int, Field(gt=0)] | None = Field(
        default=365, description="Posts older than this are deleted everywhere; null keeps all."
    )
    public_accounts: list[str] = Field(
        default_factory=list,
        description="Handles shown in clear (brands, outlets): exact, case-insensitive.",
    )
    key_env: str = Field(
        default="ECOUTE_PSEUDONYM_KEY",
        description="Environment variable holding the secret key of the pseudonym hash.",
    )


class AppAccess(_Model):
    """Who may open the page and the Dagster UI when they listen beyond loopback."""

    mode: Literal["none", "oidc", "proxy_header"] = Field(
        default="none",
        description=(
            "`oidc`: Streamlit's st.login (provider in .streamlit/secrets.toml); `proxy_header`: "
            "a reverse proxy that authenticates and sets `proxy_header`; `none`: loopback only."
        ),
    )
    proxy_header: str = "X-Forwarded-Email"
    allowed_emails: list[str] = Field(default_factory=list)
    allowed_domains: list[str] = Field(default_factory=list)


class AppSettings(_Model):
    """The stakeholder page."""

    language: Literal["fr", "en"] = "fr"
    access: AppAccess = Field(default_factory=AppAccess)


class Project(_Model):
    name: str
    description: str = ""


class EcouteConfig(_Model):
    """A whole listening project."""

    project: Project
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]] = Field(
        default_factory=lambda: ["fr", "en"],
        min_length=1,
        description="The languages analysed; a post in another one is kept but not scored.",
    )
    brands: list[Brand] = Field(min_length=1)
    objectives: list[Objective] = Field(default_factory=list)
    sources: Sources = Field(default_factory=Sources)
    crawler: Crawler = Field(default_factory=Crawler)
    warehouse: Warehouse = Field(default_factory=Warehouse)
    monitoring: Monitoring = Field(default_factory=Monitoring)
    sentiment: SentimentSettings = Field(default_factory=SentimentSettings)
    privacy: Privacy = Field(default_factory=Privacy)
    app: AppSettings = Field(default_factory=AppSettings)
    demo: Demo | None = None
    _base_dir: Path = PrivateAttr(default_factory=Path.cwd)
    _source_file: Path | None = PrivateAttr(default=None)

    def resolve(self, path: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        candidate = Path(path).expanduser()
        return candidate if candidate.is_absolute() else self._base_dir / candidate

    @property
    def source_file(self) -> Path:
        """The file this config was loaded from (what child processes and resources reload)."""
        if self._source_file is None:
            raise ConfigError("this config was not loaded from a file (use load_config)")
        return self._source_file

    @model_validator(mode="after")
    def _cross_checks(self) -> EcouteConfig:
        names = [b.name.casefold() for b in self.brands]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"brand names must be unique, repeated: {', '.join(dupes)}")
        if not any(not b.competitor for b in self.brands):
            raise ValueError("at least one brand must be your own (competitor: false)")
        known = {b.name: b for b in self.brands}
        for objective in self.objectives:
            if objective.brand not in known:
                raise ValueError(
                    f"objective {objective.name!r} names unknown brand {objective.brand!r}"
                )
            answering = known[objective.brand].official_accounts
            if objective.kpi in RESPONSIVENESS_KPIS and not answering:
                raise ValueError(
                    f"objective {objective.name!r} ({objective.kpi}) needs official_accounts "
                    f"on brand {objective.brand!r}"
                )
        titles = [o.name.casefold() for o in self.objectives]
        repeated = sorted({t for t in titles if titles.count(t) > 1})
        if repeated:
            raise ValueError(f"objective names must be unique, repeated: {', '.join(repeated)}")
        owners: dict[str, str] = {}
        for brand in self.brands:
            for handle in brand.official_accounts:
                other = owners.setdefault(handle.casefold(), brand.name)
                if other != brand.name:
                    raise ValueError(
                        f"official account {handle!r} is declared for {other!r} and {brand.name!r}"
                    )
        return self._with_official_accounts_public()

    def _with_official_accounts_public(self) -> EcouteConfig:
        """Official accounts are a brand speaking in public: never pseudonymised (privacy)."""
        public = list(self.privacy.public_accounts)
        listed = {p.strip().casefold() for p in public}
        extra = [h for h in self.official_handles if h.casefold() not in listed]
        if extra:
            privacy = self.privacy.model_copy(update={"public_accounts": public + extra})
            object.__setattr__(self, "privacy", privacy)
        return self

    @property
    def official_handles(self) -> list[str]:
        """Every brand's official accounts, in config order."""
        return [h for b in self.brands for h in b.official_accounts]

    @property
    def own_brands(self) -> list[Brand]:
        return [b for b in self.brands if not b.competitor]

    @property
    def competitors(self) -> list[Brand]:
        return [b for b in self.brands if b.competitor]


def _expand_env(value: Any) -> Any:
    if isinstance(value, str):

        def repl(match: re.Match[str]) -> str:
            name, default = match.group(1), match.group(2)
            found = os.environ.get(name)
            if found is None:
                if default is None:
                    raise ConfigError(
                        f"environment variable {name} is not set (used as ${{{name}}})"
                    )
                return default
            return found

        return _ENV_REF.sub(repl, value)
    if isinstance(value, list):
        return [_expand_env(v) for v in value]
    if isinstance(value, dict):
        return {k: _expand_env(v) for k, v in value.items()}
    return value


def _describe(error: ValidationError, source: str) -> str:
    lines = [f"invalid config {source}:"]
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key (check the spelling)"
        lines.append(f"  - {where}: {message}")
    return "\n".join(lines)


def parse_config(data: Any, source: str = "<dict>", base_dir: Path | None = None) -> EcouteConfig:
    """Validate an already-parsed mapping; raises ConfigError naming each bad key.

    Relative paths in the config are resolved against `base_dir` (default: the working folder).
    """
    if not isinstance(data, dict):
        raise ConfigError(f"invalid config {source}: the top level must be a mapping")
    try:
        config = EcouteConfig.model_validate(_expand_env(data))
    except ValidationError as error:
        raise ConfigError(_describe(error, source)) from None
    config._base_dir = (base_dir or Path.cwd()).resolve()
    return config


def config_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The config to use: the argument, else `ECOUTE_CONFIG`, else `./ecoute.yml`."""
    return Path(path or os.environ.get("ECOUTE_CONFIG") or DEFAULT_CONFIG)


def load_config(path: str | os.PathLike[str] | None = None) -> EcouteConfig:
    """Read and validate a config file."""
    file = config_path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"config file {file} not found (pass --config or set ECOUTE_CONFIG)"
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"invalid config {file}: not valid YAML: {error}") from None
    config = parse_config(data, str(file), base_dir=file.parent)
    config._source_file = file.resolve()
    return config
