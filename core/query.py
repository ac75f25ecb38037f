"""Boolean brand queries: a small recursive-descent parser and a compiled matcher.

Grammar (operators are upper-case; `NOT` binds tightest, then `NEAR/n`, `AND`, `OR`):

    query   := or
    or      := and ("OR" and)*
    and     := near ("AND" near)*
    near    := unary ("NEAR/" n unary)*
    unary   := "NOT" unary | atom
    atom    := "(" or ")" | term
    term    := word | "quoted phrase" | {Case Sensitive} | @handle | #hashtag
             | site:domain | source:name | lang:code

Words and phrases match whole words, case- and accent-insensitively (`telecom` finds `Télécom`);
`{Orange}` or `{"Orange Bank"}` match the exact case (accents still folded). Two terms side by
side without an operator are a syntax error, so `Orange Bank` must be quoted or joined by `AND`:
a silent implicit `AND` is the most common query-tuning mistake. `site:`, `source:` and `lang:`
test the post's context, never its text. Every match carries the clause that satisfied it and the
spans it found, so a user can see why a post counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

OPERATORS = ("AND", "OR", "NOT")
_NEAR = re.compile(r"NEAR/(\d+)")
_WORD = re.compile(r"\w+")
Span = tuple[int, int]


class QuerySyntaxError(ValueError):
    """A query that does not parse; `column` is 1-based, pointing at the offending character."""

    def __init__(self, message: str, query: str, column: int):
        self.message, self.query, self.column = message, query, column
        super().__init__(f"{message} at column {column}\n  {query}\n  {' ' * (column - 1)}^")


def fold(text: str) -> str:
    """Lower-case, accent-free copy of `text` with the same length, so offsets map back 1:1."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFD", char)[:1].lower()
        out.append(base if len(base) == 1 else char)
    return "".join(out)


def unaccent(text: str) -> str:
    """Accent-free copy of `text` keeping case, same length (for case-sensitive terms)."""
    return "".join(unicodedata.normalize("NFD", c)[:1] or c for c in text)


@dataclass(frozen=True)
class Post:
    """What a query sees: the text (NFC) and where it came from."""

    text: str
    source: str | None = None
    site: str | None = None
    lang: str | None = None
    folded: str = field(init=False, repr=False, compare=False)
    unaccented: str = field(init=False, repr=False, compare=False)
    words: list[Span] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", fold(self.text))
        object.__setattr__(self, "unaccented", unaccent(self.text))
        object.__setattr__(self, "words", [m.span() for m in _WORD.finditer(self.text)])

    def word_index(self, offset: int) -> int:
        """Index of the first word starting at or after `offset`."""
        return next((i for i, (s, _) in enumerate(self.words) if s >= offset), len(self.words))


@dataclass(frozen=True)
class Hit:
    """A satisfied clause: its text and the spans of the terms that made it true."""

    clause: str
    spans: tuple[Span, ...]


class Node:
    """A compiled query node: `hits(post)` yields every way the node is true (none: false)."""

    def hits(self, post: Post) -> Iterator[Hit]:
        raise NotImplementedError

    def terms(self) -> Iterator[Term]:
        """The positive text terms (not under `NOT`): what `spans()` and masking look for."""
        return iter(())

    def first(self, post: Post) -> Hit | None:
        return next(self.hits(post), None)


@dataclass
class Term(Node):
    source: str
    pattern: re.Pattern[str]
    case_sensitive: bool = False

    def finditer(self, post: Post) -> Iterator[Span]:
        haystack = post.unaccented if self.case_sensitive else post.folded
        return (m.span() for m in self.pattern.finditer(haystack))

    def hits(self, post: Post) -> Iterator[Hit]:
        return (Hit(self.source, (span,)) for span in self.finditer(post))

    def terms(self) -> Iterator[Term]:
        yield self


@dataclass
class Scope(Node):
    """`site:`, `source:` or `lang:`: true from the post's context, with no span."""

    key: str
    value: str

    def hits(self, post: Post) -> Iterator[Hit]:
        actual = (getattr(post, self.key) or "").casefold()
        wanted = self.value.casefold()
        if self.key == "site":
            actual = actual.removeprefix("www.")
            ok = actual == wanted or actual.endswith("." + wanted)
        else:
            ok = actual == wanted or actual.startswith(wanted + "-")
        if ok:
            yield Hit(f"{self.key}:{self.value}", ())


@dataclass
class Not(Node):
    child: Node

    def hits(self, post: Post) -> Iterator[Hit]:
        if self.child.first(post) is None:
            yield Hit(f"NOT {_clause(self.child)}", ())


@dataclass
class And(Node):
    children: list[Node]

    def hits(self, post: Post) -> Iterator[Hit]:
        """Each way the first operand is true (the mention), with the others' first hits."""
        rest: list[Hit] = []
        for child in self.children[1:]:
            hit = child.first(post)
            if hit is None:
                return
            rest.append(hit)
        for head in self.children[0].hits(post):
            hits = [head, *rest]
            yield Hit(" AND ".join(h.clause for h in hits), tuple(s for h in hits for s in h.spans))

    def terms(self) -> Iterator[Term]:
        for child in self.children:
            yield from child.terms()


@dataclass
class Or(Node):
    children: list[Node]

    def hits(self, post: Post) -> Iterator[Hit]:
        for child in self.children:
            yield from child.hits(post)

    def terms(self) -> Iterator[Term]:
        for child in self.children:
            yield from child.terms()


@dataclass
class Near(Node):
    left: Node
    right: Node
    distance: int

    def hits(self, post: Post) -> Iterator[Hit]:
        rights = list(self.right.hits(post))
        for left in self.left.hits(post):
            for right in rights:
                if left.spans and right.spans and self._close(post, left.spans, right.spans):
                    clause = f"{left.clause} NEAR/{self.distance} {right.clause}"
                    yield Hit(clause, left.spans + right.spans)

    def _close(self, post: Post, a: tuple[Span, ...], b: tuple[Span, ...]) -> bool:
        """At most `distance` words between the end of the earlier side and the later one."""
        earlier, later = sorted((a, b), key=min)
        end = max(e for _, e in earlier)
        return post.word_index(min(later)[0]) - post.word_index(end) <= self.distance

    def terms(self) -> Iterator[Term]:
        yield from self.left.terms()
        yield from self.right.terms()


def _clause(node: Node) -> str:
    if isinstance(node, Term):
        return node.source
    if isinstance(node, Scope):
        return f"{node.key}:{node.value}"
    if isinstance(node, Not):
        return f"NOT {_clause(node.child)}"
    if isinstance(node, Near):
        return f"({_clause(node.left)} NEAR/{node.distance} {_clause(node.right)})"
    if isinstance(node, And | Or):
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(_clause(c) for c in node.children) + ")"
    raise TypeError(node)


# --- tokens -----------------------------------------------------------------------------------

_SCOPES = ("site", "source", "lang")
_BARE = re.compile(r"[^\s()\"{}]+")


@dataclass(frozen=True)
class _Token:
    kind: str  # op, near, lparen, rparen, term, scope
    value: str
    column: int
    case_sensitive: bool = False
    phrase: bool = False


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(query):
        char = query[i]
        column = i + 1
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token("lparen" if char == "(" else "rparen", char, column))
            i += 1
        elif char == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError("unclosed quote", query, column)
            phrase = query[i + 1 : end].strip()
            if not phrase:
                raise QuerySyntaxError("empty phrase", query, column)
            tokens.append(_Token("term", phrase, column, phrase=True))
            i = end + 1
        elif char == "{":
            end = query.find("}", i + 1)
            if end < 0:
                raise QuerySyntaxError("unclosed {", query, column)
            inner = query[i + 1 : end].strip().strip('"').strip()
            if not inner:
                raise QuerySyntaxError("empty {}", query, column)
            tokens.append(_Token("term", inner, column, case_sensitive=True, phrase=True))
            i = end + 1
        elif char in '}"':
            raise QuerySyntaxError(f"unexpected {char!r}", query, column)
        else:
            word = _BARE.match(query, i)
            if word is None:
                raise QuerySyntaxError(f"unexpected {char!r}", query, column)
            value = word.group()
            i = word.end()
            near = _NEAR.fullmatch(value)
            key, _, rest = value.partition(":")
            if value in OPERATORS:
                tokens.append(_Token("op", value, column))
            elif near:
                tokens.append(_Token("near", near.group(1), column))
            elif value.startswith("NEAR"):
                raise QuerySyntaxError("NEAR needs a distance, as NEAR/3", query, column)
            elif key in _SCOPES:
                if not rest and i < len(query) and query[i] == '"':
                    end = query.find('"', i + 1)
                    if end < 0:
                        raise QuerySyntaxError("unclosed quote", query, i + 1)
                    rest, i = query[i + 1 : end].strip(), end + 1
                if not rest:
                    raise QuerySyntaxError(f"{key}: needs a value", query, column)
                tokens.append(_Token("scope", f"{key}:{rest}", column))
            elif value in ("@", "#"):
                raise QuerySyntaxError(f"{value} needs a name", query, column)
            else:
                tokens.append(_Token("term", value, column))
    return tokens


# --- parser -----------------------------------------------------------------------------------


class _Parser:
    def __init__(self, query: str):
        self.query = query
        self.tokens = _tokens(query)
        self.at = 0

    def parse(self) -> Node:
        if not self.tokens:
            raise QuerySyntaxError("empty query", self.query, 1)
        node = self._or()
        if self.at < len(self.tokens):
            token = self.tokens[self.at]
            if token.kind == "rparen":
                raise QuerySyntaxError("unmatched )", self.query, token.column)
            raise QuerySyntaxError(
                f"expected AND, OR or NEAR/n before {token.value!r} (quote a phrase)",
                self.query,
                token.column,
            )
        return node

    def _peek(self, kind: str, value: str | None = None) -> _Token | None:
        if self.at < len(self.tokens):
            token = self.tokens[self.at]
            if token.kind == kind and (value is None or token.value == value):
                return token
        return None

    def _or(self) -> Node:
        children = [self._and()]
        while self._peek("op", "OR"):
            self.at += 1
            children.append(self._and())
        return children[0] if len(children) == 1 else Or(children)

    def _and(self) -> Node:
        children = [self._near()]
        while self._peek("op", "AND"):
            self.at += 1
            children.append(self._near())
        return children[0] if len(children) == 1 else And(children)

    def _near(self) -> Node:
        node = self._unary()
        while token := self._peek("near"):
            self.at += 1
            right = self._unary()
            for side in (node, right):
                if not any(True for _ in side.terms()):
                    raise QuerySyntaxError(
                        "NEAR/n joins text terms, not NOT or scopes", self.query, token.column
                    )
            node = Near(node, right, int(token.value))
        return node

    def _unary(self) -> Node:
        if self._peek("op", "NOT"):
            self.at += 1
            return Not(self._unary())
        return self._atom()

    def _atom(self) -> Node:
        if self.at >= len(self.tokens):
            raise QuerySyntaxError("query ends too early", self.query, len(self.query) + 1)
        token = self.tokens[self.at]
        self.at += 1
        if token.kind == "lparen":
            node = self._or()
            if not self._peek("rparen"):
                raise QuerySyntaxError("unclosed (", self.query, token.column)
            self.at += 1
            return node
        if token.kind == "scope":
            key, _, value = token.value.partition(":")
            return Scope(key, value)
        if token.kind == "term":
            return _term(token)
        raise QuerySyntaxError(f"unexpected {token.value!r}", self.query, token.column)


def _term(token: _Token) -> Term:
    raw = unicodedata.normalize("NFC", token.value)
    display = (
        f"{{{raw}}}"
        if token.case_sensitive
        else (f'"{raw}"' if token.phrase and " " in raw else raw)
    )
    text = unaccent(raw) if token.case_sensitive else fold(raw)
    if text[0] in "@#":
        # A handle or hashtag: whole, never inside a longer one; a hashtag is never a handle.
        body = re.escape(text)
        pattern = re.compile(rf"(?<![\w@#]){body}(?!\w)")
    else:
        body = r"\s+".join(re.escape(w) for w in text.split())
        pattern = re.compile(rf"(?<![\w@#]){body}(?!\w)")
    return Term(display, pattern, token.case_sensitive)


def parse(query: str) -> Node:
    """Compile `query` once; raise `QuerySyntaxError` (with its column) when it does not parse."""
    node = _Parser(query).parse()
    if not any(True for _ in node.terms()):
        raise QuerySyntaxError("a query needs a text term outside NOT", query, 1)
    return node
