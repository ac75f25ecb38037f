"""What the per-brand step produces: a brand's result, and one post's plan of windows."""

from __future__ import annotations

from dataclasses import dataclass, field

from transform.backends import Prediction


@dataclass(frozen=True)
class TargetedResult:
    """A brand's prediction and the rule that decided it (for evaluation and debugging)."""

    prediction: Prediction
    rule: str


@dataclass
class _BrandPlan:
    own: int  # index of the brand's window in `TargetPlan.windows`
    wider: int | None = None  # its sentences' window, used when `own` is neutral
    shift: float = 0.0  # switching
    fixed: float | None = None  # a comparative's valence, deciding alone
    fixed_rule: str = "comparative"  # the rule that fixed it
    opposite_of: int | None = None  # `unlike A, …`: the window A is set against
    # `B isn't perfect but compared to A it's paradise`: B takes what A is set against.
    like: int | None = None
    contrasted: bool = False  # the window opens on a contrast word
    first: int = 0  # where the brand is first named
    at_least: bool = False  # `at least A …`: set above what was blamed before


@dataclass
class TargetPlan:
    """One post's per-brand work: masked windows for the model and the rules' totals for each."""

    lang: str
    post: Prediction
    windows: list[str] = field(default_factory=list)
    rules: list[float] = field(default_factory=list)
    irony: list[bool] = field(default_factory=list)
    question: list[bool] = field(default_factory=list)  # the window asks (`A or B? Any advice?`)
    # It opens on a sarcasm frame (`love how A …`), left out of its text and rules.
    framed: list[bool] = field(default_factory=list)
    # It holds a price or service move (`prices went up`), which the model cannot read.
    moved: list[bool] = field(default_factory=list)
    # It holds a service event (`no reply`, `rien à redire`) or a fixed problem (`sorted my
    # issue`), which the model cannot read either.
    serviced: list[bool] = field(default_factory=list)
    # Its only negative words are negated (`no complaints`, `jamais eu de souci`): praise.
    denied: list[bool] = field(default_factory=list)
    # It speaks of regret (`no regrets`, `aucun regret`): of the switch, not of the one left.
    regret: list[bool] = field(default_factory=list)
    # It limits its praise (`fine for basic use, nothing special`, `correct, sans plus`): neutral.
    limited: list[bool] = field(default_factory=list)
    # It holds praise `less`/`fewer`/`moins` turned round (`fewer good deals`), which the model
    # reads as praise.
    turned: list[bool] = field(default_factory=list)
    # It only considers the brand (`maybe I should look at B`) or says it stays as it is (`B ne
    # change rien`): no foil.
    considered: list[bool] = field(default_factory=list)
    # For a window holding a short praise clause (`Yay,`, `Trop bien,`): the window without it.
    remainder: list[int | None] = field(default_factory=list)
    brands: dict[str, _BrandPlan] = field(default_factory=dict)
    news: bool = False  # the impersonal register of news
    # Brands whose label is decided without windows (one brand, unsupported language).
    settled: dict[str, TargetedResult] = field(default_factory=dict)
