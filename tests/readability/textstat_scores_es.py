#!/usr/bin/env python3
"""textstat's Spanish scores for texts given as JSON on stdin.

Input: a JSON list of {"name": ..., "text": ...}. Output: a JSON list of
{"name", "words", "sentences", "syllables", "fernandez_huerta", "szigriszt_pazos"},
computed by textstat 0.7 with set_lang("es") (pip install textstat==0.7.13).
Spanish syllables come from pyphen's Spanish patterns alone: textstat has no
pronouncing dictionary for Spanish, so nothing is downloaded.

Used by tests/check.rs (spanish_readability_matches_textstat); see README.md here.
"""
import json
import sys

import textstat


def main():
    textstat.set_lang("es")
    out = []
    for item in json.load(sys.stdin):
        text = item["text"]
        out.append({
            "name": item["name"],
            "words": textstat.lexicon_count(text),
            "sentences": textstat.sentence_count(text),
            "syllables": textstat.syllable_count(text),
            "fernandez_huerta": textstat.fernandez_huerta(text),
            "szigriszt_pazos": textstat.szigriszt_pazos(text),
        })
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
