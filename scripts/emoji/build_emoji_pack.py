#!/usr/bin/python3
"""Rasterise emoji drawings into the asset pack resources/emoji/ (the emoji benchmark).

Input: the unpacked npm packages (see build_emoji_pack.sh, which fetches and checks them)
and the committed class map resources/emoji/class_map.tsv. Every row of the class map whose
class is not 'excluded' is drawn in every style that has it, as a square RGBA PNG (alpha =
the object mask), named <code>.png where <code> is the emoji's fully-qualified code point
sequence in lower-case hex joined by '-' (e.g. 1f415, 1f9cd-200d-2642-fe0f): stable across
package versions, unlike short names.

Output (into --out, default resources/emoji):
  <style>/<code>.png    one folder per style (noto/, twemoji/, fluent/)
  manifest.json         one entry per PNG: style, id, code points, names, class, COCO class,
                        source package + version + licence, alpha bbox / area / parts
  LICENSES.md           what each source's licence requires, with the attribution text
  LICENSE-Apache-2.0.txt, COVERAGE.md (COCO 48/17 coverage and the emoji-wide class list)

Needs Debian's python3-pil, python3-numpy, librsvg2-bin (rsvg-convert), optipng and, for
--optimise pngquant, pngquant.
"""
import argparse
import concurrent.futures
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

# Styles: where the drawings come from. The iconify JSON packages hold the original SVG
# drawings of each emoji set (an SVG body per icon, chars.json maps code points to icons).
STYLES = {
    "noto": {
        "dir": "noto",
        "package": "@iconify-json/noto",
        "license": "Apache-2.0",
        "title": "Noto Emoji (Google)",
        "upstream": "https://github.com/googlefonts/noto-emoji",
        "copyright": "Copyright 2013 Google Inc. All Rights Reserved.",
    },
    "twemoji": {
        "dir": "twemoji",
        "package": "@iconify-json/twemoji",
        "license": "CC-BY-4.0",
        "title": "Twemoji (Twitter, Inc. and other contributors; jdecked/twemoji)",
        "upstream": "https://github.com/jdecked/twemoji",
        "copyright": "Copyright 2014-2021 Twitter, Inc and other contributors; "
                     "Copyright 2022-present Jason Sofonia & Justine De Caires",
    },
    "fluent": {
        "dir": "fluent",
        "package": "@iconify-json/fluent-emoji-flat",
        "license": "MIT",
        "title": "Fluent Emoji Flat (Microsoft)",
        "upstream": "https://github.com/microsoft/fluentui-emoji",
        "copyright": "Copyright (c) Microsoft Corporation.",
    },
}
DATASOURCE_DIR = "datasource"  # emoji-datasource: names / short names (class_map check)

MIT_TEXT = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE."""

MASK_THRESHOLD = 128  # alpha >= this is object


def read_class_map(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for n, line in enumerate(f, 2):
            if not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != len(header):
                sys.exit(f"{path}:{n}: {len(parts)} fields, expected {len(header)}")
            rows.append(dict(zip(header, parts)))
    return rows


def read_coco_classes(path):
    names = [l.strip() for l in open(path, encoding="utf-8") if l.strip()]
    if len(names) != 65:
        sys.exit(f"{path}: expected 65 class names (48 seen then 17 unseen), got {len(names)}")
    return names[:48], names[48:]


class IconSet:
    def __init__(self, pkg_dir):
        self.icons = json.load(open(os.path.join(pkg_dir, "icons.json"), encoding="utf-8"))
        self.chars = json.load(open(os.path.join(pkg_dir, "chars.json"), encoding="utf-8"))
        meta = json.load(open(os.path.join(pkg_dir, "package.json"), encoding="utf-8"))
        self.name, self.version, self.license = meta["name"], meta["version"], meta.get("license")

    def lookup(self, code):
        for key in (code, code.replace("-fe0f", "")):
            if key in self.chars:
                return self.chars[key]
        return None

    def svg(self, icon_name, size):
        """A standalone SVG document of one icon, size x size px, drawing centred."""
        ic = self.icons
        hflip = vflip = False
        rotate = 0
        seen = 0
        while icon_name in ic.get("aliases", {}):  # resolve aliases (with their transforms)
            a = ic["aliases"][icon_name]
            hflip ^= bool(a.get("hFlip"))
            vflip ^= bool(a.get("vFlip"))
            rotate += int(a.get("rotate", 0))
            icon_name = a["parent"]
            seen += 1
            assert seen < 10, icon_name
        i = ic["icons"][icon_name]
        hflip ^= bool(i.get("hFlip"))
        vflip ^= bool(i.get("vFlip"))
        rotate += int(i.get("rotate", 0))
        left, top = i.get("left", ic.get("left", 0)), i.get("top", ic.get("top", 0))
        w, h = i.get("width", ic.get("width", 16)), i.get("height", ic.get("height", 16))
        body = i["body"]
        tr = []
        if rotate % 4:
            tr.append(f"rotate({90 * (rotate % 4)} {left + w / 2} {top + h / 2})")
        if hflip or vflip:
            tr.append(f"translate({(2 * left + w) if hflip else 0} {(2 * top + h) if vflip else 0}) "
                      f"scale({-1 if hflip else 1} {-1 if vflip else 1})")
        if tr:
            body = f'<g transform="{" ".join(tr)}">{body}</g>'
        return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                f'width="{size}" height="{size}" viewBox="{left} {top} {w} {h}" '
                f'preserveAspectRatio="xMidYMid meet">{body}</svg>')


def rasterise(svg_text, size):
    png = subprocess.run(["rsvg-convert", "--format=png"], input=svg_text.encode("utf-8"),
                         capture_output=True, check=True).stdout
    im = Image.open(io.BytesIO(png)).convert("RGBA")
    if im.size != (size, size):
        raise RuntimeError(f"rsvg-convert gave {im.size}, wanted {size}")
    return im


def count_parts(mask):
    """Number of 8-connected parts of a boolean mask (iterative min-label propagation)."""
    if not mask.any():
        return 0
    h, w = mask.shape
    big = h * w + 1
    lab = np.where(mask, np.arange(h * w).reshape(h, w), big)
    while True:
        p = np.pad(lab, 1, constant_values=big)
        nb = lab
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                nb = np.minimum(nb, p[1 + dy:1 + dy + h, 1 + dx:1 + dx + w])
        nb = np.where(mask, nb, big)
        if np.array_equal(nb, lab):
            break
        lab = nb
    return int(len(np.unique(lab[mask])))


def alpha_stats(im):
    a = np.asarray(im)[:, :, 3]
    mask = a >= MASK_THRESHOLD
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return None
    # translucent pixels away from the anti-aliased rim (glass, shadows drawn with opacity):
    # inside the 1-px erosion of the visible region but neither opaque nor near-empty
    vis = a > 16
    inner = np.zeros_like(vis)
    inner[1:-1, 1:-1] = (vis[1:-1, 1:-1] & vis[:-2, 1:-1] & vis[2:, 1:-1]
                         & vis[1:-1, :-2] & vis[1:-1, 2:])
    semi = inner & (a < 240)
    return {
        "bbox": [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)],
        "area": int(mask.sum()),
        "parts": count_parts(mask),
        "semi_inside": round(float(semi.sum()) / max(1, int(vis.sum())), 4),
    }


def optimise(path, how):
    if how == "pngquant":
        # 256-colour palette with full alpha (tRNS); --strip drops metadata (reproducible)
        subprocess.run(["pngquant", "--force", "--skip-if-larger", "--strip", "--speed", "1",
                        "--quality", "70-100", "--output", path, "--", path],
                       check=False, capture_output=True)
        subprocess.run(["optipng", "-quiet", "-o2", "-strip", "all", path], check=True)
    elif how == "optipng":
        subprocess.run(["optipng", "-quiet", "-o2", "-strip", "all", path], check=True)


def render_one(job):
    style, iconset, icon, code, size, path, how = job
    im = rasterise(iconset.svg(icon, size), size)
    st = alpha_stats(im)
    im.save(path, optimize=False)
    optimise(path, how)
    # the stats are of the image as written (quantisation can move alpha a little)
    st = alpha_stats(Image.open(path).convert("RGBA")) or st
    return style, code, st, os.path.getsize(path)


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def write_licenses(out, styles, sources, datasource, how):
    L = ["# Licences of the emoji drawings", "",
         "Generated by `scripts/emoji/build_emoji_pack.py`; do not edit by hand.", "",
         "Every PNG in this folder is a **modified** version of a drawing from the package named",
         "below: the original SVG was rasterised with rsvg-convert to a square RGBA PNG",
         f"({sources['size']} x {sources['size']} px, drawing centred, original framing kept)"
         + (", its colours quantised to a 256-entry palette (pngquant)" if how == "pngquant" else "")
         + " and the file recompressed" + (" (optipng)." if how != "none" else "."),
         "Nothing else was changed. The class names and mask data derived from them are ours.", ""]
    done = "rasterised" + (" and colour-quantised" if how == "pngquant" else "")
    for s in styles:
        st, src = STYLES[s], sources[s]
        L += [f"## `{st['dir']}/` - {st['title']}", "",
              f"- source: npm `{src['package']}@{src['version']}` (SVG drawings in Iconify JSON form; "
              f"its package.json declares `{src['license']}`), upstream {st['upstream']}",
              f"- copyright: {st['copyright']}"]
        if st["license"] == "Apache-2.0":
            L += ["- licence: Apache License 2.0 (upstream `svg/LICENSE` of noto-emoji covers the drawings;",
                  "  the Noto *font* is under the SIL Open Font License 1.1, but no font file is used here)",
                  "- what it requires: ship a copy of the licence (`LICENSE-Apache-2.0.txt` here), keep the",
                  "  copyright notice, state that the files were changed (the paragraph above), and pass on any",
                  "  NOTICE file (noto-emoji has none). No trademark rights (\"Noto\", \"Google\") are granted.",
                  "- attribution used: \"Noto Emoji drawings Copyright 2013 Google Inc., licensed under the",
                  f"  Apache License 2.0; {done} for ZSI Studio.\""]
        elif st["license"] == "CC-BY-4.0":
            L += ["- licence: Creative Commons Attribution 4.0 International (CC BY 4.0),",
                  "  https://creativecommons.org/licenses/by/4.0/ (the Twemoji *code* is MIT; only the graphics",
                  "  are used here)",
                  "- what it requires (section 3(a)): name the creator and keep the copyright notice, refer to",
                  "  the licence by name and URI, keep the disclaimer of warranties, link the source where",
                  "  reasonably practicable, and say that the material was modified. No additional",
                  "  restrictions or DRM may be added. Twemoji's README accepts a mention in a README or",
                  "  About section as sufficient attribution.",
                  "- attribution used: \"Twemoji graphics Copyright 2014-2021 Twitter, Inc and other",
                  "  contributors, 2022-present Jason Sofonia & Justine De Caires",
                  "  (https://github.com/jdecked/twemoji), licensed under CC BY 4.0",
                  f"  (https://creativecommons.org/licenses/by/4.0/); {done} for",
                  "  ZSI Studio. Provided as-is, without warranties.\""]
        elif st["license"] == "MIT":
            L += ["- licence: MIT (the npm package declares MIT and links the upstream LICENSE; the package",
                  "  itself ships no licence file, so the standard MIT text is reproduced below)",
                  "- what it requires: keep the copyright notice and the permission notice with all copies or",
                  "  substantial portions.",
                  "- attribution used: \"Fluent Emoji drawings Copyright (c) Microsoft Corporation, MIT License.\"",
                  "", "```", "MIT License", "", "Copyright (c) Microsoft Corporation.", "", MIT_TEXT, "```"]
        L.append("")
    if datasource:
        L += ["## `class_map.tsv`, `manifest.json`: emoji names", "",
              f"- short names and CLDR names come from npm `emoji-datasource@{datasource['version']}`",
              "  (https://github.com/iamcal/emoji-data), MIT licence:", "",
              "```", "The MIT License (MIT)", "", "Copyright (c) 2013 Cal Henderson", "", MIT_TEXT, "```", ""]
    open(os.path.join(out, "LICENSES.md"), "w", encoding="utf-8").write("\n".join(L))
    shutil.copyfile("/usr/share/common-licenses/Apache-2.0", os.path.join(out, "LICENSE-Apache-2.0.txt"))


def write_coverage(out, styles, rows, seen, unseen, counts_by_class):
    L = ["# Emoji benchmark: class coverage", "",
         "Generated by `scripts/emoji/build_emoji_pack.py` from `class_map.tsv`; do not edit by hand.", "",
         "## COCO 48/17 (column `coco` of class_map.tsv)", "",
         "Drawings per style (an emoji drawn in a style counts once).", ""]
    per = {}
    for r in rows:
        if r["class"] == "excluded" or r["coco"] == "-":
            continue
        for s in styles:
            if r["_have"].get(s):
                per.setdefault(r["coco"], {}).setdefault(s, 0)
                per[r["coco"]][s] += 1
    for title, names in (("seen (48)", seen), ("unseen (17)", unseen)):
        tab = []
        for n in names:
            c = per.get(n, {})
            emo = " ".join(r["emoji"] for r in rows if r["coco"] == n and r["class"] != "excluded")
            tab.append([n] + [c.get(s, 0) for s in styles] + [emo or "**missing**"])
        L += [f"### {title}", "", md_table(["class"] + styles + ["emoji"], tab), ""]
    full = [n for n in seen + unseen if all(per.get(n, {}).get(s, 0) for s in styles)]
    miss = [n for n in seen + unseen if not any(per.get(n, {}).get(s, 0) for s in styles)]
    L += [f"Covered in every style: {len(full)} of 65 "
          f"({sum(n in full for n in seen)} seen, {sum(n in full for n in unseen)} unseen).",
          f"Missing: {', '.join(miss) or 'none'}.", "",
          "## Emoji-wide split (column `class`)", "",
          "Every non-excluded class; the 17 COCO unseen classes stay unseen, all other classes are seen.", ""]
    tab = []
    for c in sorted(counts_by_class):
        kind = "unseen" if c in unseen else "seen"
        tab.append([c, kind] + [counts_by_class[c].get(s, 0) for s in styles])
    L += [f"{len(counts_by_class)} classes "
          f"({sum(c in unseen for c in counts_by_class)} unseen, {sum(c not in unseen for c in counts_by_class)} seen).", "",
          md_table(["class", "split"] + styles, tab), ""]
    open(os.path.join(out, "COVERAGE.md"), "w", encoding="utf-8").write("\n".join(L))
    return per, full, miss


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", required=True, help="folder with <key>/package/ for each package "
                    "(keys: datasource, " + ", ".join(v["dir"] for v in STYLES.values()) + ")")
    ap.add_argument("--out", default=os.path.join(root, "resources", "emoji"))
    ap.add_argument("--class-map", help="default: <out>/class_map.tsv")
    ap.add_argument("--coco-classes", default=os.path.join(root, "tests", "fixtures", "semantics", "classes_48_17.txt"))
    ap.add_argument("--styles", default=",".join(STYLES))
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--optimise", choices=["optipng", "pngquant", "none"], default="optipng",
                    help="optipng: lossless (default); pngquant: 256-colour palette, ~30%% smaller")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--max-mb", type=float, default=25.0, help="fail when the pack is larger")
    a = ap.parse_args()

    styles = [s for s in a.styles.split(",") if s]
    for s in styles:
        if s not in STYLES:
            sys.exit(f"unknown style {s}")
    class_map = a.class_map or os.path.join(a.out, "class_map.tsv")
    rows = read_class_map(class_map)
    seen, unseen = read_coco_classes(a.coco_classes)

    # cross-check the class map against emoji-datasource (names, completeness)
    datasource = None
    ds_dir = os.path.join(a.src, DATASOURCE_DIR, "package")
    if os.path.isdir(ds_dir):
        meta = json.load(open(os.path.join(ds_dir, "package.json"), encoding="utf-8"))
        datasource = {"version": meta["version"]}
        emo = json.load(open(os.path.join(ds_dir, "emoji.json"), encoding="utf-8"))
        by_code = {e["unified"].lower(): e for e in emo}
        bad = [r["code"] for r in rows if r["code"] not in by_code or by_code[r["code"]]["short_name"] != r["short_name"]]
        if bad:
            sys.exit(f"class map rows that do not match emoji-datasource {meta['version']}: {bad[:20]}")
        unmapped = set(by_code) - {r["code"] for r in rows}
        if unmapped:
            print(f"warning: {len(unmapped)} emoji of emoji-datasource are not in the class map "
                  f"(new emoji?): {sorted(unmapped)[:20]}", file=sys.stderr)
    else:
        print("warning: no emoji-datasource package under --src; class map not cross-checked", file=sys.stderr)

    sets, sources = {}, {"size": a.size}
    for s in styles:
        d = os.path.join(a.src, STYLES[s]["dir"], "package")
        sets[s] = IconSet(d)
        if sets[s].name != STYLES[s]["package"]:
            sys.exit(f"{d}: package {sets[s].name}, expected {STYLES[s]['package']}")
        sources[s] = {"package": sets[s].name, "version": sets[s].version, "license": sets[s].license}

    stage = tempfile.mkdtemp(prefix="emoji-pack-", dir=os.path.dirname(os.path.abspath(a.out)))
    try:
        jobs, missing = [], {s: [] for s in styles}
        for r in rows:
            r["_have"] = {}
            if r["class"] == "excluded":
                continue
            for s in styles:
                icon = sets[s].lookup(r["code"])
                if icon is None:
                    missing[s].append(r["short_name"])
                    continue
                r["_have"][s] = True
                os.makedirs(os.path.join(stage, STYLES[s]["dir"]), exist_ok=True)
                path = os.path.join(stage, STYLES[s]["dir"], r["code"] + ".png")
                jobs.append((s, sets[s], icon, r["code"], a.size, path, a.optimise))
        stats, sizes = {}, {}
        with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as ex:
            for n, (s, code, st, nbytes) in enumerate(ex.map(render_one, jobs), 1):
                if st is None:
                    sys.exit(f"{s}/{code}.png is empty")
                stats[(s, code)] = st
                sizes[(s, code)] = nbytes
                if n % 200 == 0:
                    print(f"  {n}/{len(jobs)} drawings", file=sys.stderr)

        entries = []
        counts_by_class = {}
        for r in rows:
            if r["class"] == "excluded":
                continue
            for s in styles:
                if not r["_have"].get(s):
                    continue
                st = stats[(s, r["code"])]
                counts_by_class.setdefault(r["class"], {}).setdefault(s, 0)
                counts_by_class[r["class"]][s] += 1
                entries.append({
                    "style": s, "id": r["code"], "file": f"{STYLES[s]['dir']}/{r['code']}.png",
                    "codepoints": ["U+" + c.upper() for c in r["code"].split("-")],
                    "emoji": r["emoji"], "short_name": r["short_name"], "cldr_name": r["cldr_name"],
                    "class": r["class"], "coco": None if r["coco"] == "-" else r["coco"],
                    "source": f"{sources[s]['package']}@{sources[s]['version']}",
                    "license": sources[s]["license"],
                    "bbox": st["bbox"], "area": st["area"], "parts": st["parts"],
                    "semi_inside": st["semi_inside"],
                })
        manifest = {
            "format": 1,
            "size": a.size,
            "mask": f"alpha >= {MASK_THRESHOLD}",
            "id": "fully-qualified code point sequence, lower-case hex joined by '-'",
            "styles": {s: dict(sources[s], folder=STYLES[s]["dir"], title=STYLES[s]["title"],
                               upstream=STYLES[s]["upstream"]) for s in styles},
            "names_source": f"emoji-datasource@{datasource['version']}" if datasource else None,
            "coco_48_17": {"seen": seen, "unseen": unseen},
            "entries": entries,
        }
        with open(os.path.join(stage, "manifest.json"), "w", encoding="utf-8") as f:
            # readable and diff-friendly: header pretty-printed, one line per entry
            head = json.dumps({k: v for k, v in manifest.items() if k != "entries"},
                              ensure_ascii=False, indent=1)
            f.write(head[:-2] + ',\n "entries": [\n')
            f.write(",\n".join(json.dumps(e, ensure_ascii=False) for e in entries))
            f.write("\n ]\n}\n")
        write_licenses(stage, styles, sources, datasource, a.optimise)
        per, full, miss = write_coverage(stage, styles, rows, seen, unseen, counts_by_class)

        total = sum(os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(stage) for fn in fns)
        if total > a.max_mb * 1e6:
            sys.exit(f"pack is {total / 1e6:.1f} MB, over --max-mb {a.max_mb}")

        # swap in: replace the generated files, keep class_map.tsv and README.md
        os.makedirs(a.out, exist_ok=True)
        for s in STYLES:
            p = os.path.join(a.out, STYLES[s]["dir"])
            if os.path.isdir(p):
                shutil.rmtree(p)
        for name in os.listdir(stage):
            dst = os.path.join(a.out, name)
            if os.path.isdir(dst):
                shutil.rmtree(dst)
            shutil.move(os.path.join(stage, name), dst)
    finally:
        shutil.rmtree(stage, ignore_errors=True)

    # report
    print(f"pack: {a.out}  ({total / 1e6:.2f} MB generated)")
    for s in styles:
        n = sum(1 for e in entries if e["style"] == s)
        b = sum(v for (ss, _), v in sizes.items() if ss == s)
        print(f"  {s:8s} {sources[s]['package']}@{sources[s]['version']} ({sources[s]['license']}): "
              f"{n} drawings, {b / 1e6:.2f} MB; not in this style: {', '.join(missing[s]) or '-'}")
    print(f"  classes: {len(counts_by_class)} (emoji-wide), COCO 48/17 in every style: {len(full)}/65; "
          f"missing: {', '.join(miss)}")
    multi = sorted({(e['style'], e['short_name']) for e in entries if e['parts'] > 1})
    semi = sorted({(e['style'], e['short_name']) for e in entries if e['semi_inside'] > 0.05})
    print(f"  drawings whose mask has more than one part: {len(multi)}; "
          f"with >5% translucent pixels inside the mask: {len(semi)}")


if __name__ == "__main__":
    main()
