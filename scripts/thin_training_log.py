#!/usr/bin/env python3
"""Keeps a bundle's training log small (issue 6: the demo bundle stays under ~25 MB).

    scripts/thin_training_log.py FULL_LOG BUNDLE_LOG [EVERY]

Writes BUNDLE_LOG with every EVERY-th iteration (default 10), the first and the last, and
every line that carries V_b ("vb"), so the app's training plots keep their full resolution
for V_b and a readable one for the losses. The full log stays in <bundle>.training/.
"""
import json
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    every = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    lines = [l for l in open(src, encoding="utf-8") if l.strip()]
    kept = []
    for i, line in enumerate(lines):
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue  # a torn last line
        it = rec.get("iteration", 0)
        if "vb" in rec or it % every == 0 or i == 0 or i == len(lines) - 1:
            kept.append(line if line.endswith("\n") else line + "\n")
    with open(dst + ".tmp", "w", encoding="utf-8") as f:
        f.writelines(kept)
    import os
    os.replace(dst + ".tmp", dst)
    print(f"{dst}: {len(kept)} of {len(lines)} lines")


if __name__ == "__main__":
    main()
