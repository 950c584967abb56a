"""Unit tests of the three stages: candidates, detector, ranker."""

from __future__ import annotations

import json

import pytest

from garble_fix import calibration, candidates, detect, rank, restore, signatures
from garble_fix.config import RestoreConfig
from garble_fix.lm import load_bigrams, load_model
from garble_fix.tokens import tokenize


def options_for(text: str, **config: object) -> list[candidates.Option]:
    return candidates.generate(tokenize(text), text, RestoreConfig(**config))


# ---------------------------------------------------------------- candidates


def test_signature_options_cover_names_and_phrases() -> None:
    found = {(o.replacement, o.source) for o in options_for("He met them at the White Home earlier than noon.")}
    assert ("White House", "signature") in found
    assert any(r.lower().startswith("before") for r, _ in found)


def test_thesaurus_inversion_reinflects() -> None:
    originals = [text for text, _, _ in candidates.word_candidates("despatched", ("wordnet", "moby"), 20)]
    assert "sent" in originals


def test_thesaurus_sources_can_be_restricted() -> None:
    wordnet = candidates.word_candidates("instructed", ("wordnet",), 20)
    both = candidates.word_candidates("instructed", ("wordnet", "moby"), 20)
    assert wordnet and set(wordnet) != set(both)


@pytest.mark.parametrize(
    "text",
    ["The Ministry of Defence said on Monday.",          # capitalised words inside a sentence
     "See https://example.com/instructed-reporters now.",  # URL
     "“They instructed reporters,” he said."],           # quotation
)
def test_protected_words_get_no_thesaurus_options(text: str) -> None:
    tokens = tokenize(text)
    protected = candidates.protected_tokens(tokens, text)
    for option in candidates.thesaurus_options(tokens, text, protected, RestoreConfig()):
        assert not any(protected[option.first:option.last])
    assert any(protected)


@pytest.mark.parametrize("opening", ['"', "“"])
def test_a_quote_left_open_at_a_paragraph_end_protects_nothing_after_it(opening: str) -> None:
    # News style: a quotation that runs on into the next paragraph is not
    # closed at the end of the first one.
    text = (f"{opening}We will fight on.\n{opening}We will win.\n"
            "The coach instructed reporters after the game.")
    tokens = tokenize(text)
    protected = candidates.protected_tokens(tokens, text)
    narrative = [p for t, p in zip(tokens, protected) if t.start > text.rindex("\n")]
    assert not any(narrative)
    assert all(p for t, p in zip(tokens, protected) if t.start < text.rindex("\n"))


# Strong spun forms in quotes ("in entrance of", "instructed reporters")
# show a spinner that rewrites quotes: one opens its own quotation, two open
# every quotation of the document.
SPUN_QUOTE = ("“We played in entrance of a big crowd, and the coach instructed reporters "
              "it's a laborious win,” the captain said.")
OTHER_QUOTE = "“It was a laborious win,” he added."
ONE_WITNESS = "“We played in entrance of a big crowd,” the captain said. " + OTHER_QUOTE


def quote_protection(text: str) -> list[bool]:
    """Protection flags of the quoted words of ``text``, given its lexicon matches."""
    tokens = tokenize(text)
    matches = signatures.load_signatures().find(tokens, text)
    protected = candidates.protected_tokens(tokens, text, matches)
    quoted = candidates.quote_mask(tokens, text)
    return [p for t, p, q in zip(tokens, protected, quoted) if q and t.is_word]


def test_one_strong_match_in_a_quote_unprotects_that_quote_only() -> None:
    flags = quote_protection(ONE_WITNESS)
    # 8 quoted words in the witness's quotation, then 5 in the other one
    assert len(flags) == 13
    assert not any(flags[:8])
    assert all(flags[8:])


def test_two_strong_matches_in_quotes_unprotect_every_quote() -> None:
    assert not any(quote_protection(SPUN_QUOTE + " " + OTHER_QUOTE))
    assert all(quote_protection(OTHER_QUOTE))


def test_overlapping_strong_matches_count_as_one_witness() -> None:
    # "in entrance of" and "in entrance" are both strong entries.
    text = "“We were in entrance of them,” he said. " + OTHER_QUOTE
    assert all(quote_protection(text)[-5:])


def test_spun_quotes_are_restored_but_their_contractions_kept() -> None:
    assert restore(SPUN_QUOTE) == ("“We played in front of a big crowd, and the coach told "
                                   "reporters it's a hard win,” the captain said.")
    assert "laborious" in restore(ONE_WITNESS)


def test_restoring_spun_quotes_twice_changes_nothing_more() -> None:
    # The first pass restores the witnesses away, so the second sees the
    # quotes protected again: it must not undo or add anything.
    once = restore(SPUN_QUOTE + " " + OTHER_QUOTE)
    assert restore(once) == once


def test_spelling_variants_and_word_drops_are_not_candidates() -> None:
    assert not candidates.distinct_wording("kilometres", "kilometers")
    assert not candidates.distinct_wording("citizens committee", "committee")
    assert candidates.distinct_wording("instructed", "told")


def test_disabled_sources_give_no_options() -> None:
    text = "The White Home said fifteen% of instructed staff left."
    assert all(o.source != "thesaurus" for o in options_for(text, use_thesaurus=False))
    assert all(o.source != "signature" for o in options_for(text, use_signatures=False))
    assert all(o.source != "number" for o in options_for(text, use_numbers=False))


# ---------------------------------------------------------------- detector


def scored(text: str) -> tuple[list, list[detect.ScoredOption]]:
    tokens = tokenize(text)
    options = candidates.generate(tokens, text, RestoreConfig())
    words = rank.lm_words_of(tokens)
    return tokens, detect.score_options(words, rank.sentence_ranges(tokens, text), options,
                                        load_model(), load_bigrams())


def test_spun_span_has_positive_gain_for_its_original() -> None:
    _, items = scored("Lee told the White Home that the commerce deal was done.")
    by_text = {i.option.replacement: i for i in items}
    assert by_text["White House"].gain > 0
    assert by_text["White House"].web_gain >= 0


def test_leads_compare_candidates_of_the_same_span() -> None:
    _, items = scored("The minister instructed reporters on Monday.")
    spans: dict = {}
    for item in items:
        spans.setdefault((item.option.first, item.option.last), []).append(item)
    for group in spans.values():
        best = max(group, key=lambda i: i.gain)
        assert best.lead >= 0 or len(group) == 1
        assert all(i.lead <= best.lead for i in group)


def test_document_rate_separates_spun_from_clean() -> None:
    spun = ("Officials on the White Home instructed reporters earlier than the vote that the "
            "commerce deal would cut tariffs to fifteen%. It is not too long ago that the "
            "international locations agreed.")
    clean = ("Officials at the White House told reporters before the vote that the trade deal "
             "would cut tariffs to 15%. It is only recently that the countries agreed.")
    rates = []
    for text in (spun, clean):
        tokens, items = scored(text)
        rates.append(detect.estimate_rate(items, sum(t.is_word for t in tokens)))
    assert rates[0][0] > rates[1][0]
    assert rates[0][1] > rates[1][1]
    assert rates[0][2] > rates[1][2]
    assert detect.spun_probability(*rates[0][:2]) > detect.spun_probability(*rates[1][:2])


def test_strong_entries_raise_the_strong_rate_and_the_shift() -> None:
    # The same weak evidence, once alone and once beside a strong entry: only
    # the strong entry moves the strong rate, and with it the document shift.
    weak = [detect.ScoredOption(candidates.Option(i, i + 1, "x", "signature", "signature",
                                                  0.0, False), 0.0) for i in range(0, 20, 2)]
    strong = detect.ScoredOption(candidates.Option(30, 32, "White House", "signature", "name",
                                                   2.0, True), 0.0)
    _, alone_strong_rate, alone_shift = detect.estimate_rate(weak, 200)
    _, with_strong_rate, with_shift = detect.estimate_rate([*weak, strong], 200)
    assert with_strong_rate > alone_strong_rate
    assert with_shift > alone_shift


def test_a_strong_witness_is_a_strong_entry_more_likely_spun_than_not() -> None:
    assert detect.has_strong_witness({(0, 2): 0.9, (5, 6): 0.1}) == 1.0
    assert detect.has_strong_witness({(5, 6): 0.1}) == 0.0
    assert detect.has_strong_witness({}) == 0.0


def test_weak_options_echo_the_swaps_of_strong_ones() -> None:
    # A strong "Nationwide Safety" shows this spinner swaps security -> safety,
    # so another "safety" in the same document echoes it; without the strong
    # entry nothing echoes.
    def echoed(text: str) -> set[str]:
        tokens, items = scored(text)
        return {text[tokens[i.option.first].start:tokens[i.option.last - 1].end].lower()
                for i in items if i.echo}

    spun = "The Nationwide Safety adviser spoke. Road safety is the issue."
    assert "safety" in echoed(spun)
    assert "nationwide safety" not in echoed(spun)  # strong options carry no echo
    assert not echoed("The adviser spoke. Road safety is the issue.")


def test_a_strong_option_does_not_echo_on_its_own_words() -> None:
    words = [("white",), ("home",), ("and",), ("home",)]
    strong = candidates.Option(0, 2, "White House", "signature", "name", 2.0, True)
    same_word = candidates.Option(1, 2, "house", "signature", "word", -1.0, False)
    elsewhere = candidates.Option(3, 4, "house", "signature", "word", -1.0, False)
    items = detect.with_echoes([detect.ScoredOption(o, 0.0) for o in (strong, same_word, elsewhere)],
                               words)
    assert [i.echo for i in items] == [0.0, 0.0, 1.0]


def test_function_word_options_never_echo() -> None:
    words = [("again",), ("towards",), ("and",), ("towards",)]
    strong = candidates.Option(0, 2, "back against", "signature", "signature", 2.0, True)
    function_word = candidates.Option(3, 4, "against", "signature", "function-word", -1.0, False)
    content_word = candidates.Option(3, 4, "against", "signature", "signature", -1.0, False)
    items = detect.with_echoes([detect.ScoredOption(o, 0.0)
                                for o in (strong, function_word, content_word)], words)
    assert [i.echo for i in items] == [0.0, 0.0, 1.0]


def test_document_evidence_off_means_no_echoes_and_no_peers() -> None:
    text = "The Nationwide Safety adviser spoke. Road safety is the issue. Safety first."
    tokens = tokenize(text)
    options = candidates.generate(tokens, text, RestoreConfig())
    items = detect.score_options(rank.lm_words_of(tokens), rank.sentence_ranges(tokens, text),
                                 options, load_model(), load_bigrams(), echoes=False)
    assert not any(i.echo or i.peer for i in items)


def test_peers_sum_the_same_swaps_clipped_gains_at_other_spans() -> None:
    words = [("commerce",), ("deal",), ("and",), ("commerce",), ("and",), ("commerce",)]
    def option(first: int, replacement: str = "trade") -> candidates.Option:
        return candidates.Option(first, first + 1, replacement, "signature", "signature", -1.0,
                                 False)
    items = detect.with_peers([detect.ScoredOption(option(0), 5.0),   # clipped to the ceiling
                               detect.ScoredOption(option(3), -4.0),  # clipped to the floor
                               detect.ScoredOption(option(5), 1.0),
                               detect.ScoredOption(option(5, "business"), 2.0)], words)
    assert [i.peer for i in items] == [
        detect.PEER_GAIN_FLOOR + 1.0,
        detect.PEER_GAIN_CEILING + 1.0,
        detect.PEER_GAIN_CEILING + detect.PEER_GAIN_FLOOR,
        0.0,  # no other span makes the same swap
    ]


def test_a_phrase_swap_is_peer_evidence_for_its_word_swaps() -> None:
    words = [("army",), ("alliance",), ("and",), ("army",)]
    phrase = candidates.Option(0, 2, "military alliance", "signature", "signature", -1.0, False)
    word = candidates.Option(3, 4, "military", "signature", "signature", -1.0, False)
    items = detect.with_peers([detect.ScoredOption(phrase, 2.0), detect.ScoredOption(word, 1.0)],
                              words)
    assert [i.peer for i in items] == [1.0, 2.0]


def test_peers_leave_out_every_span_that_overlaps_the_option() -> None:
    words = [("army",), ("alliance",), ("and",), ("army",)]
    phrase = candidates.Option(0, 2, "military alliance", "signature", "signature", -1.0, False)
    inside = candidates.Option(0, 1, "military", "signature", "signature", -1.0, False)
    apart = candidates.Option(3, 4, "military", "signature", "signature", -1.0, False)
    items = detect.with_peers([detect.ScoredOption(phrase, 2.0), detect.ScoredOption(inside, 1.5),
                               detect.ScoredOption(apart, 1.0)], words)
    # The phrase and the word inside it are one occurrence: neither is the
    # other's peer; the word apart has both as peers.
    assert [i.peer for i in items] == [1.0, 1.0, 3.5]


def test_peer_evidence_is_clipped() -> None:
    words = [("commerce",)] * 5
    items = detect.with_peers([detect.ScoredOption(
        candidates.Option(i, i + 1, "trade", "signature", "signature", -1.0, False), 3.0)
        for i in range(5)], words)
    assert {i.peer for i in items} == {detect.PEER_CLIP}


def test_strong_signatures_ignore_the_document_shift() -> None:
    option = candidates.Option(0, 1, "x", "signature", "name", 2.0, True)
    assert detect.log10_odds(0.0, option, -2.0) == detect.log10_odds(0.0, option, 1.0)


def test_decided_thesaurus_edits_need_more_evidence_than_curated_ones() -> None:
    # The fitted decision maps: a thesaurus edit is the best of many noisy
    # candidates, so at the odds where edits are decided it is less likely
    # right than a lexicon edit (far above them both are near certain).
    for odds in (0.0, 0.5, 1.0):
        assert calibration.decision_probability("thesaurus", odds) < \
            calibration.decision_probability("signature", odds)
    for source in ("thesaurus", "signature"):
        assert calibration.decision_probability(source, 2.0) > \
            calibration.decision_probability(source, 0.0)


def test_calibration_table_without_decision_model_is_refused(tmp_path, monkeypatch) -> None:
    shipped = json.loads(calibration.files("garble_fix").joinpath("data", "calibration.json")
                         .read_text(encoding="utf-8"))
    del shipped["decision"]
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "calibration.json").write_text(json.dumps(shipped), encoding="utf-8")
    monkeypatch.setattr(calibration, "files", lambda package: tmp_path)
    with pytest.raises(calibration.DataError, match="decision model"):
        calibration._table.__wrapped__()


# ---------------------------------------------------------------- ranker


def path_score(words, options, chosen, model) -> float:
    """Score of the path that takes exactly ``chosen``, as the decoder defines it."""
    out, index = [], 0
    starts = {o.first: o for o in chosen}
    while index < len(words):
        if index in starts:
            out.extend(rank.replacement_words(starts[index].replacement))
            index = starts[index].last
        else:
            out.extend(words[index])
            index += 1
    priors = sum(o.prior / calibration.confidence_scale(o.source) for o in chosen)
    return rank._sequence(model, (*out, "</s>"), ("<s>",)) + priors


def test_decoder_finds_the_best_joint_path() -> None:
    from itertools import combinations

    text = "The president has pushed again towards U.S. stress on trade"
    tokens = tokenize(text)
    words = rank.lm_words_of(tokens)
    position = {t.text: i for i, t in enumerate(tokens)}
    options = [
        candidates.Option(position[spun], position[spun] + 1, original, "thesaurus",
                          "thesaurus+context", -0.5, False)
        for spun, original in [("again", "back"), ("towards", "against"), ("stress", "pressure"),
                               ("towards", "toward"), ("again", "once")]
    ]
    model = load_model()
    best, best_score = [], path_score(words, options, [], model)
    for size in range(1, 4):
        for subset in combinations(options, size):
            firsts = [o.first for o in subset]
            if len(set(firsts)) == len(firsts):
                score = path_score(words, options, list(subset), model)
                if score > best_score:
                    best, best_score = sorted(subset, key=lambda o: o.first), score
    chosen = rank.decode(words, 0, len(tokens), options, model, 0.0)
    assert chosen == best
    assert len(best) >= 2  # the joint restoration wins here, not a single word


def test_decoder_takes_a_strong_option_and_keeps_natural_text() -> None:
    text = "They met at the White Home on Monday."
    tokens = tokenize(text)
    home = next(i for i, t in enumerate(tokens) if t.text == "White")
    house = candidates.Option(home, home + 2, "White House", "signature", "name",
                              calibration.signature_prior(True), True)
    chosen = rank.decode(rank.lm_words_of(tokens), 0, len(tokens), [house], load_model(), 0.0)
    assert chosen == [house]


def test_sentence_ranges_split_at_punctuation_and_lines() -> None:
    text = "One two. Three\nfour five"
    assert rank.sentence_ranges(tokenize(text), text) == [(0, 3), (3, 4), (4, 6)]


@pytest.mark.parametrize(
    "text",
    [
        "ties with the U.S. stress the alliance",
        "prices rose 3.5 per cent",
        "sales rose 5 p.c. in the year",
        "talks with Gen. Moon went on",
        "on Aug. 5 the talks went on",
        "talks with the U.S., China and Japan",
    ],
)
def test_abbreviations_and_decimals_do_not_end_a_sentence(text: str) -> None:
    tokens = tokenize(text)
    assert rank.sentence_ranges(tokens, text) == [(0, len(tokens))]


def test_a_name_after_a_title_abbreviation_is_protected_as_a_name() -> None:
    # "Moon" after "Gen." is inside the sentence, so it is a name; after a
    # full stop it starts a sentence and is an ordinary word.
    text = "Talks with Gen. Moon went on. Moon rose."
    tokens = tokenize(text)
    protected = candidates.protected_tokens(tokens, text)
    moons = [i for i, t in enumerate(tokens) if t.text == "Moon"]
    assert [protected[i] for i in moons] == [True, False]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("He left the U.S. The talks ended.", 2),
        ("It ended . the next", 2),  # a space before the period: not an abbreviation
        ("It ended.\nthen more", 2),
        ("“It ended.” Then more", 2),
    ],
)
def test_sentence_ends_are_still_found(text: str, sentences: int) -> None:
    assert len(rank.sentence_ranges(tokenize(text), text)) == sentences


# British style: speech in curly single quotes, where ’ is also the apostrophe.
@pytest.mark.parametrize(
    ("text", "quoted_words"),
    [("‘We will win the match,’ the coach said.", ["We", "will", "win", "the", "match"]),
     ("He said: ‘It’s a hard win.’ Then he left.", ["It’s", "a", "hard", "win"]),
     ("“She told me ‘never again’ twice,” he said.",  # a quote within a quote
      ["She", "told", "me", "never", "again", "twice"]),
     ("The ‘90s were the players’ golden years.", []),  # elision and possessive
     ("They play rock ‘n’ roll all night.", [])],
)
def test_curly_single_quotes_mark_quotations(text: str, quoted_words: list[str]) -> None:
    tokens = tokenize(text)
    mask = candidates.quote_mask(tokens, text)
    assert [t.text for t, q in zip(tokens, mask) if q and t.is_word] == quoted_words


def test_single_and_double_quotes_protect_the_same_words() -> None:
    double = "“The coach instructed reporters it was over,” she said. “We won.”"
    single = double.replace("“", "‘").replace("”", "’")
    masks = [candidates.quote_mask(tokenize(t), t) for t in (double, single)]
    assert masks[0] == masks[1] and any(masks[0])


@pytest.mark.parametrize(
    ("text", "quoted_words"),
    [("“He said ‘no’ twice,” she said. Rain fell.", ["He", "said", "no", "twice"]),
     ("“He said ‘no.” Rain fell.", ["He", "said", "no"]),  # the inner quote left open
     ("‘He said “no” twice,’ she said. Rain fell.", ["He", "said", "no", "twice"])],
)
def test_closing_a_quotation_closes_the_quotes_left_open_inside_it(
        text: str, quoted_words: list[str]) -> None:
    tokens = tokenize(text)
    mask = candidates.quote_mask(tokens, text)
    assert [t.text for t, q in zip(tokens, mask) if q and t.is_word] == quoted_words


# Names damaged word by word: inside a capitalised name, a weak word entry
# may restore a word institutions are named with (candidates.NAME_WORDS).
SPUN_NAMES = ("The Australian Authorities instructed reporters on Monday that the commerce deal "
              "with different international locations will likely be signed earlier than the "
              "election. Officers from the Safety Intelligence Organisation stated the deal was "
              "moderately than a treaty.")


def name_options(text: str) -> set[tuple[str, str]]:
    """(spun word, replacement) of the weak lexicon options on words protected as names."""
    tokens = tokenize(text)
    reasons = candidates.protection(tokens, text)
    return {(tokens[o.first].text, o.replacement) for o in options_for(text)
            if o.source == "signature" and not o.strong and reasons[o.first] == "name"}


def test_spun_institution_names_are_restored_in_a_spun_document() -> None:
    restored = restore(SPUN_NAMES)
    assert restored.startswith("The Australian Government told reporters")
    assert "the Security Intelligence Organisation" in restored


@pytest.mark.parametrize(
    ("text", "expected"),
    [("He met the Australian Authorities today.", {("Authorities", "Government")}),
     # not inside a name: a lone capitalised word, or a quoted one
     ("He met Authorities today.", set()),
     ("He said “the Australian Authorities know” today.", set())],
)
def test_name_words_are_offered_inside_names_only(text: str, expected: set[tuple[str, str]]) -> None:
    assert name_options(text) == expected


def test_name_word_options_restore_only_name_words() -> None:
    # "Officers" -> "officials" is a weak word entry too, but "officials" is
    # not a word institutions are named with.
    assert name_options("He met the Senior Officers today.") == set()
    assert all(r.lower() in candidates.NAME_WORDS for _, r in name_options(SPUN_NAMES))


@pytest.mark.parametrize(
    ("text", "offered", "not_offered"),
    [("The organisation said labour costs rose. The protection minister spoke.",
      "defence minister", "defense minister"),           # British spelling in the document
     ("The organization said labor costs rose. The protection minister spoke.",
      "defense minister", None)],                        # American: both stay, the model picks
)
def test_british_documents_get_the_british_spelling_of_an_original(
        text: str, offered: str, not_offered: str | None) -> None:
    replacements = {o.replacement for o in options_for(text) if o.source == "signature"}
    assert offered in replacements
    assert not_offered is None or not_offered not in replacements
