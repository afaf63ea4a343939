#!/usr/bin/env python3
"""Writes WordNet synonym sets as `word<TAB>set` lines: the lexical resource copydesk embeds
for measure words (`src/claims/synonyms.rs`, data in `src/claims/wordnet-verbs.tsv`).

    scripts/wordnet-synonyms.py --pos verb [DIR] > src/claims/wordnet-verbs.tsv

DIR is WordNet 3.0's database (Debian's `wordnet-base`: /usr/share/wordnet). Single-word
lemmas in lower case, sets of two or more such lemmas; `--pos noun`, `--pos verb` or both
(the default). With --first-sense a word keeps only its most frequent sense (the first in
index.noun / index.verb), so a common word is not made a synonym of a rare sense's lemmas.

How the variants were chosen (each read by an evaluation build through a file named in the
environment; figures of ../shared/eval, the stop that added the resource): none, nouns only
and first senses only changed no figure; verbs (all senses) added one labelled error on
summedits ectsum ("surpass $360,000" for "exceed $460,000") and no finding anywhere else,
bbc_news included; nouns and verbs together did the same as verbs alone. So only verbs are
kept.
"""
import os
import sys

argv = sys.argv[1:]
pos_wanted = ("noun", "verb")
if "--pos" in argv:
    k = argv.index("--pos")
    pos_wanted = (argv[k + 1],)
    del argv[k:k + 2]
args = [a for a in argv if not a.startswith("--")]
first_sense = "--first-sense" in argv
root = args[0] if args else "/usr/share/wordnet"

def records(kind, pos):
    """The fields of each entry of WordNet's `index.POS` or `data.POS` (license lines skipped)."""
    with open(os.path.join(root, f"{kind}.{pos}"), encoding="latin-1") as f:
        for line in f:
            if not line.startswith(" "):
                yield line.split()


first = {}
if first_sense:
    for pos in pos_wanted:
        for parts in records("index", pos):
            lemma, synset_cnt, p_cnt = parts[0], int(parts[2]), int(parts[3])
            offsets = parts[6 + p_cnt:6 + p_cnt + synset_cnt]
            if offsets:
                first[(lemma, pos)] = offsets[0]

out = set()
for pos in pos_wanted:
    for parts in records("data", pos):
        offset, w_cnt = parts[0], int(parts[3], 16)
        words = [parts[4 + 2 * k].lower() for k in range(w_cnt)]
        words = sorted({w.split("(")[0] for w in words if "_" not in w and "-" not in w and w.isalpha()})
        if first_sense:
            words = [w for w in words if first.get((w, pos)) == offset]
        if len(words) >= 2:
            for w in words:
                out.add((w, f"{pos[0]}{offset}"))

print("# WordNet 3.0 synonym sets (single-word lemmas), written by scripts/wordnet-synonyms.py.")
print("# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. See WORDNET-LICENSE.")
for w, s in sorted(out):
    print(f"{w}\t{s}")
