"""Spinner-signature lexicon: load the compiled table and find its entries in text.

The curated sources live in ``corpora/signatures/*.tsv`` (see ``FORMAT.md``
there); ``corpora/build_signatures.py`` validates them, checks them against
clean English and writes ``garble_fix/data/signatures.tsv``, which ships in
the wheel. This module only reads that compiled file, so nothing is parsed
twice and the wheel needs no build-time dependency.

Matching runs on every token of every document, so single-word entries are
indexed by their word and longer ones by their first two words: a token that
starts no entry costs a set lookup and a dict lookup.

>>> from garble_fix.tokens import tokenize
>>> lex = lexicon_from_rows([("White Home", "White House", "name", "strong")])
>>> text = "Aides at the White Home said so."
>>> [(m.first, m.last, m.replacements) for m in lex.find(tokenize(text), text)]
[(3, 5, ('White House',))]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from garble_fix.errors import DataError
from garble_fix.tokens import TOKEN_RE, normalize
from garble_fix.types import Token

# First line of the compiled file. The loader refuses anything else so that a
# stale or foreign table fails loudly instead of matching garbage.
HEADER_PREFIX = "# garble_fix signatures"
# Bumped whenever the compiled columns or their meaning change.
FORMAT_VERSION = 1
# ``tortured``: tortured phrases of science and technology, the output of
# paraphrasing tools other than the news spinner (the build gives this family
# to the entries of the blind_tortured* files).
FAMILIES = frozenset({"phrase", "function", "word", "number", "name", "contraction", "tortured"})
STRENGTHS = frozenset({"strong", "weak"})
DEFAULT_PATH = Path(__file__).parent / "data" / "signatures.tsv"

# A paragraph break: a newline, optional blank-line whitespace, a newline.
# Matches never cross one, because spinners work sentence by sentence and a
# name split over two paragraphs is two unrelated words.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
# The possessive ending the tokenizer glues to a word (after folding ’ to ').
_POSSESSIVE = "'s"
# Single-word entries that also match with the possessive on ("nation's" ->
# "country's"): content words and names. Function words and contractions
# are not possessed, and "'s" after them is "is" ("that's", "there's").
POSSESSIVE_FAMILIES = frozenset({"word", "name"})


class SignatureEntry(NamedTuple):
    """One compiled lexicon entry.

    ``spun`` holds normalized tokens (lower-cased, ’ folded to '); the
    literal spelling of case-sensitive entries is kept by the lexicon index.
    """

    spun: tuple[str, ...]
    originals: tuple[str, ...]
    family: str
    strength: str
    case_sensitive: bool


class SignatureMatch(NamedTuple):
    """An entry found in a token sequence: tokens ``[first, last)``."""

    first: int
    last: int
    entry: SignatureEntry
    replacements: tuple[str, ...]


class _Compiled(NamedTuple):
    """An entry plus its literal (case-kept, ’-folded) spun tokens, for matching."""

    entry: SignatureEntry
    literal: tuple[str, ...]


def spun_tokens(spun: str) -> tuple[str, ...]:
    """Split a ``spun`` column into literal tokens, ’ folded to ' but case kept.

    >>> spun_tokens("doesn’t  rely on")
    ("doesn't", 'rely', 'on')
    """
    return tuple(m.group().replace("’", "'") for m in TOKEN_RE.finditer(spun))


def is_case_sensitive(spun: str) -> bool:
    """True when a ``spun`` column contains an upper-case letter (names).

    >>> is_case_sensitive("White Home"), is_case_sensitive("assume tank")
    (True, False)
    """
    return any(ch.isupper() for ch in spun)


def make_entry(spun: str, originals: str, family: str, strength: str) -> _Compiled:
    """Build a compiled entry from the four columns (originals ``|``-separated).

    The one place entries are validated, for the build script and the loader
    alike; callers prefix the message with where the line came from.

    >>> make_entry("Chilly Struggle", "Cold War", "name", "strong").entry.spun
    ('chilly', 'struggle')
    """
    literal = spun_tokens(spun)
    if family not in FAMILIES:
        raise DataError(f"family must be one of {', '.join(sorted(FAMILIES))}, not {family!r}")
    if strength not in STRENGTHS:
        raise DataError(f"strength must be one of {', '.join(sorted(STRENGTHS))}, not {strength!r}")
    alternatives = tuple(o.strip() for o in originals.split("|"))
    if not all(alternatives):
        raise DataError(f"empty alternative in {originals!r}")
    if len(set(alternatives)) != len(alternatives):
        raise DataError(f"repeated alternative in {originals!r}")
    if not literal:
        raise DataError(f"spun form {spun!r} has no tokens")
    entry = SignatureEntry(
        spun=tuple(t.lower() for t in literal),
        originals=alternatives,
        family=family,
        strength=strength,
        case_sensitive=is_case_sensitive(spun),
    )
    return _Compiled(entry, literal)


def _is_upper_word(word: str) -> bool:
    """True for a token written in capitals ("NATIONWIDE"); digits/punctuation are neutral."""
    return word.isupper()


def _is_title_word(word: str) -> bool:
    """True for a capitalised token ("Nationwide", "Doesn't")."""
    return word[:1].isupper() and not word[1:].isupper()


def _title(text: str) -> str:
    """Capitalise the first letter of each word, leaving the rest alone.

    Unlike ``str.title`` it keeps "U.S." and "doesn't" intact.

    >>> _title("one of the U.S. doesn't")
    "One Of The U.S. Doesn't"
    """
    return re.sub(r"(?<![\w'’])(\w)", lambda m: m.group(1).upper(), text)


def _capitalize_first(text: str) -> str:
    """Upper-case the first letter only ("one of" -> "One of", "15%" stays).

    >>> _capitalize_first("one of")
    'One of'
    """
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


def transfer_case(
    matched: Sequence[str], entry: SignatureEntry, literal: Sequence[str] = ()
) -> tuple[str, ...]:
    """Return the entry's originals in the case of the matched token texts.

    ALL CAPS stays ALL CAPS. For lower-case entries, a capitalised first word
    (sentence start) capitalises the replacement, and a match whose first and
    last words are capitalised (a name or a headline) title-cases it. Case-sensitive entries carry their
    own capitals, so only ALL CAPS changes them, and a match that capitalises
    lower-case words of the entry's ``literal`` spelling: a sentence start
    keeps its capital ("The White Home" for "the White Home"), a headline is
    title-cased ("Speaker Of The Home").
    A typographic apostrophe in the match is kept in the replacement
    ("doesn’t" -> "does not", "he’ll" -> "he will", "it is" stays straight).

    >>> e = make_entry("certainly one of", "one of", "number", "weak").entry
    >>> transfer_case(["Certainly", "one", "of"], e), transfer_case(["CERTAINLY", "ONE", "OF"], e)
    (('One of',), ('ONE OF',))
    >>> n = make_entry("the White Home", "the White House", "name", "strong")
    >>> transfer_case(["The", "White", "Home"], n.entry, n.literal)
    ('The White House',)
    """
    originals = entry.originals
    if any("’" in w for w in matched):  # keep the document's typographic apostrophes
        originals = tuple(o.replace("'", "’") for o in originals)
    entry = entry._replace(originals=originals)
    words = [w for w in matched if any(ch.isalpha() for ch in w)]
    letters = sum(ch.isalpha() for w in words for ch in w)
    # Two letters at least: a lone "I" or "A" is capitalised by grammar, not
    # by an ALL-CAPS headline.
    if words and letters >= 2 and all(_is_upper_word(w) for w in words):
        return tuple(o.upper() for o in entry.originals)
    if entry.case_sensitive:
        return _sensitive_case(words, entry.originals, literal)
    if not words:
        return entry.originals
    # First and last word capitalised: a name or a headline. Inner words may be
    # lower case because the spinner's synonym for one capitalised word is
    # several words ("Attorney" -> "Legal professional Normal").
    if len(words) > 1 and _is_title_word(words[0]) and _is_title_word(words[-1]):
        return tuple(_title(o) for o in entry.originals)
    if _is_title_word(words[0]) and matched[0] == words[0]:
        return tuple(_capitalize_first(o) for o in entry.originals)
    return entry.originals


def _sensitive_case(words: Sequence[str], originals: tuple[str, ...],
                    literal: Sequence[str]) -> tuple[str, ...]:
    """Originals of a case-sensitive entry whose ``literal`` has lower-case words that
    the match capitalised: a headline ("Speaker Of The Home") is title-cased, and
    a sentence start ("The" of "the White Home") keeps its capital."""
    lower = [w.islower() for w in literal if any(ch.isalpha() for ch in w)]
    if not words or not any(lower):
        return originals
    if len(words) > 1 and all(_is_title_word(w) for w in words):
        return tuple(_title(o) for o in originals)
    if lower[0] and _is_title_word(words[0]):
        return tuple(_capitalize_first(o) for o in originals)
    return originals


def _literal_matches(literal: tuple[str, ...], texts: Sequence[str]) -> bool:
    """Case-sensitive comparison: capitals as written, or the whole span in ALL CAPS.

    Words written in lower case inside a name ("Speaker of the Home") also
    match capitalised, so headline case ("Speaker Of The Home") is found.
    A lone word in ALL CAPS is not taken for one in capitals: it is far more
    often an acronym ("EU" is not the spinner's "Eu").

    >>> _literal_matches(("Eu",), ["EU"]), _literal_matches(("White", "Home"), ["WHITE", "HOME"])
    (False, True)
    """
    if len(literal) > 1 and all(t == lit.upper() for t, lit in zip(texts, literal)) and any(
        t != t.lower() for t in texts
    ):
        return True
    for t, lit in zip(texts, literal):
        if t != lit and not (lit.islower() and t.lower() == lit):
            return False
    return True


class Lexicon:
    """The compiled signature table, indexed by its first one or two normalized tokens.

    >>> lex = lexicon_from_rows([("Wall Road", "Wall Street", "name", "strong")])
    >>> len(lex)
    1
    """

    def __init__(self, entries: Iterable[_Compiled]) -> None:
        """Index single-word entries by their word and longer ones by their first two words.

        Two words, because a single common first word ("the", "within")
        starts hundreds of entries and every one of them would be tried at
        every occurrence. Groups are longest first so callers see long
        matches first.
        """
        singles: dict[str, list[_Compiled]] = {}
        pairs: dict[tuple[str, str], list[_Compiled]] = {}
        self._entries: list[SignatureEntry] = []
        for compiled in entries:
            self._entries.append(compiled.entry)
            spun = compiled.entry.spun
            if len(spun) == 1:
                singles.setdefault(spun[0], []).append(compiled)
            else:
                pairs.setdefault((spun[0], spun[1]), []).append(compiled)
        self._singles: dict[str, tuple[_Compiled, ...]] = {
            key: tuple(group) for key, group in singles.items()
        }
        self._pairs: dict[tuple[str, str], tuple[_Compiled, ...]] = {
            key: tuple(sorted(group, key=lambda c: -len(c.literal)))
            for key, group in pairs.items()
        }
        # First words of multiword entries: most tokens start none, and for
        # them the pair lookup is skipped.
        self._firsts = frozenset(first for first, _ in self._pairs)

    def __len__(self) -> int:
        """Number of entries."""
        return len(self._entries)

    def __iter__(self) -> Iterator[SignatureEntry]:
        """Iterate over the entries in file order."""
        return iter(self._entries)

    def find(self, tokens: Sequence[Token], text: str) -> list[SignatureMatch]:
        """Every match (overlaps allowed; the caller decides), never across a blank line (paragraph break) in `text`.

        ``tokens`` must come from :func:`garble_fix.tokens.tokenize` on
        ``text``. Matches are ordered by start, longest first.

        >>> from garble_fix.tokens import tokenize
        >>> lex = lexicon_from_rows([("Nationwide Safety", "National Security", "name", "strong"),
        ...                          ("Safety Council", "Security Council", "name", "strong")])
        >>> t = "the Nationwide Safety Council"
        >>> [(m.first, m.last) for m in lex.find(tokenize(t), t)]
        [(1, 3), (2, 4)]
        """
        matches: list[SignatureMatch] = []
        n = len(tokens)
        # Normalised once per document: every lookup and quick check uses it.
        norm = [normalize(token.text) for token in tokens]
        singles, pairs, firsts = self._singles, self._pairs, self._firsts
        for i in range(n):
            word = norm[i]
            group: tuple[_Compiled, ...] = ()
            if word in firsts and i + 1 < n:
                following = norm[i + 1]
                group = pairs.get((word, following), ())
                if following.endswith(_POSSESSIVE):  # "White Home's": a two-word entry
                    group += pairs.get((word, following[: -len(_POSSESSIVE)]), ())
            group += singles.get(word, ())  # single words last: longest first
            if word.endswith(_POSSESSIVE):  # "nation's": a noun entry, possessed
                group += tuple(c for c in singles.get(word[: -len(_POSSESSIVE)], ())
                               if c.entry.family in POSSESSIVE_FAMILIES)
            for compiled in group:
                spun = compiled.entry.spun
                last = i + len(spun)
                if last > n or not _quick_match(norm, i, spun):
                    continue
                span = tokens[i:last]
                suffix = self._span_matches(compiled, span, text)
                if suffix is None:
                    continue
                texts = [t.text for t in span]
                if suffix:
                    texts[-1] = texts[-1][: -len(suffix)]
                reps = transfer_case(texts, compiled.entry, compiled.literal)
                if suffix:
                    reps = tuple(r + suffix for r in reps)
                matches.append(SignatureMatch(i, last, compiled.entry, reps))
        return matches

    @staticmethod
    def _span_matches(compiled: _Compiled, span: Sequence[Token], text: str) -> str | None:
        """The possessive suffix ("" if none) when ``span`` spells the entry, else None.

        An entry also matches with "'s" on its last word ("White Home's" ->
        "White House's", "nation's" -> "country's"): the tokenizer glues the
        possessive on, and names and nouns are possessed all the time in
        news. (Single words of other families never get here possessed, see
        :data:`POSSESSIVE_FAMILIES`.) ``None`` too when the
        span crosses a paragraph break.
        """
        spun = compiled.entry.spun
        folded = [t.text.replace("’", "'") for t in span]
        lowered = [w.lower() for w in folded]
        suffix = ""
        if lowered != list(spun):
            last = lowered[-1]
            if not (
                last == spun[-1] + _POSSESSIVE
                and not spun[-1].endswith(_POSSESSIVE)
                and lowered[:-1] == list(spun[:-1])
            ):
                return None
            suffix = span[-1].text[-len(_POSSESSIVE) :]
            folded[-1] = folded[-1][: -len(_POSSESSIVE)]
        if compiled.entry.case_sensitive and not _literal_matches(compiled.literal, folded):
            return None
        for left, right in pairwise(span):
            if right.start - left.end > 1 and _PARAGRAPH_BREAK.search(
                text, left.end, right.start
            ):
                return None
        return suffix


def lexicon_from_rows(rows: Iterable[tuple[str, str, str, str]]) -> Lexicon:
    """Build a lexicon from ``(spun, originals, family, strength)`` rows (tests, build).

    >>> len(lexicon_from_rows([("hundreds of thousands of", "hundreds of thousands of", "number", "weak")]))
    1
    """
    return Lexicon(make_entry(*row) for row in rows)


def header_line(entries: int, checked: str) -> str:
    """The first line of a compiled file; ``checked`` names the clean corpora used.

    >>> header_line(3, "none")
    '# garble_fix signatures format=1 entries=3 checked=none'
    """
    return f"{HEADER_PREFIX} format={FORMAT_VERSION} entries={entries} checked={checked}"


def parse_header(line: str) -> dict[str, str]:
    """Check the header line and return its ``key=value`` fields.

    >>> parse_header("# garble_fix signatures format=1 entries=3 checked=none")["entries"]
    '3'
    """
    if not line.startswith(HEADER_PREFIX + " "):
        raise DataError(f"not a garble_fix signature table (header {line[:60]!r})")
    fields = dict(
        part.split("=", 1) for part in line[len(HEADER_PREFIX) :].split() if "=" in part
    )
    if fields.get("format") != str(FORMAT_VERSION):
        raise DataError(
            f"signature table format {fields.get('format')!r}, expected {FORMAT_VERSION}"
        )
    if not fields.get("entries", "").isdigit():
        raise DataError("signature table header has no entry count")
    return fields


def parse_compiled(content: str, source: str = "<string>") -> Lexicon:
    """Parse the compiled table (header, then 4 TAB-separated columns per line).

    >>> lex = parse_compiled(header_line(1, "none") + "\\nWhite Home\\tWhite House\\tname\\tstrong\\n")
    >>> len(lex)
    1
    """
    lines = content.splitlines()
    if not lines:
        raise DataError(f"{source}: empty signature table")
    fields = parse_header(lines[0])
    compiled: list[_Compiled] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 4:
            raise DataError(f"{source}:{number}: expected 4 columns, got {len(columns)}")
        try:
            compiled.append(make_entry(*columns))
        except DataError as err:
            raise DataError(f"{source}:{number}: {err}") from None
    if len(compiled) != int(fields["entries"]):
        raise DataError(
            f"{source}: header says {fields['entries']} entries, found {len(compiled)} (truncated?)"
        )
    return Lexicon(compiled)


def _read(path: Path) -> Lexicon:
    """Read and parse a compiled table, turning I/O problems into DataError."""
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"cannot read signature table {path}: {err}") from err
    return parse_compiled(content, str(path))


@lru_cache(maxsize=1)
def _load_default() -> Lexicon:
    """The shipped table, read once per process."""
    return _read(DEFAULT_PATH)


def load_signatures(path: str | Path | None = None) -> Lexicon:
    """Load a compiled signature table; the shipped one (cached) when ``path`` is None.

    Raises :class:`garble_fix.errors.DataError` on a missing, foreign,
    wrong-version or truncated file.

    >>> len(load_signatures()) > 100
    True
    """
    if path is None:
        return _load_default()
    return _read(Path(path))


def _quick_match(norm: Sequence[str], first: int, spun: tuple[str, ...]) -> bool:
    """Cheap pre-check: the normalised words spell ``spun``, allowing a possessive on the last."""
    last = len(spun) - 1
    for offset in range(1, last):
        if norm[first + offset] != spun[offset]:
            return False
    tail = norm[first + last]
    return tail == spun[last] or tail == spun[last] + _POSSESSIVE
