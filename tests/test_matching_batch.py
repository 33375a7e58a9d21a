"""The batch shortcuts of the matching engine give the same numbers as the plain way."""

from __future__ import annotations

import numpy as np
from django.utils import translation

from catalogue.matching.text import analyse, analyse_joined, language_pinned, translate
from catalogue.matching.tfidf_index import TextIndex

TEXTS = [
    "Training of judges and prosecutors on money-laundering cases",
    "Mutual legal assistance, e.g. extradition; i.e. the central authority",
    "Les passeurs font payer les migrants",
    "Cyber-crime  and   cybercrime\tunits",
    "",
    "FIU",
    "犯罪分子磨掉枪支上的序列号",
]


def test_a_joined_text_is_analysed_as_its_parts_joined():
    for first in TEXTS:
        for second in TEXTS:
            parts = [first, second, "Financial intelligence units. Money laundering"]
            assert analyse_joined(parts) == analyse(". ".join(parts))


def test_character_ngrams_counted_word_by_word_are_the_vectorizers_own():
    index = TextIndex([analyse(t) for t in TEXTS[:4] + ["Border control and customs"]])
    queries = [analyse(t).plain for t in TEXTS + ["money laundering money laundering"]]
    ours = index.char_grams.transform(queries).toarray()
    theirs = index.char.transform(queries).toarray()
    assert np.array_equal(ours, theirs)


def test_a_pinned_language_is_the_one_active_when_the_batch_began():
    with translation.override("fr"), language_pinned():
        french = translate("serves category %(numeral)s")
        with translation.override("en"):
            assert translate("serves category %(numeral)s") == french
    with translation.override("en"):
        assert translate("serves category %(numeral)s") == "serves category %(numeral)s"
