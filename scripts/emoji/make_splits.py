#!/usr/bin/env python3
"""Writes the emoji benchmark's split files from the pack's manifest.

    scripts/emoji/make_splits.py [resources/emoji]

emoji-coco-48-17.json: the COCO 48/17 split (resources/reference/classes_48_17.txt, same
order) restricted to the classes drawn in every style of the pack (column `coco`).
emoji-wide.json: the same unseen classes; every other class of column `class` drawn in every
style is seen (hundreds). Use it with `zsi synth --labels class`.
"""
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else 'resources/emoji'
repo = os.path.dirname(os.path.dirname(os.path.abspath(root)))
manifest = json.load(open(os.path.join(root, 'manifest.json')))
styles = list(manifest['styles'].keys())
names = [l.strip() for l in open(os.path.join(repo, 'resources', 'reference', 'classes_48_17.txt')) if l.strip()]
coco_seen, coco_unseen = names[:48], names[48:]


def covered(field):
    per = {}
    for e in manifest['entries']:
        if e.get(field):
            per.setdefault(e[field], set()).add(e['style'])
    return {c for c, s in per.items() if set(styles) <= s}


coco = covered('coco')
fine = covered('class')
split = {'seen': [c for c in coco_seen if c in coco], 'unseen': [c for c in coco_unseen if c in coco]}
missing = [c for c in names if c not in coco]
unseen = split['unseen']
wide_seen = sorted(c for c in fine if c not in unseen)
assert all(u in fine for u in unseen), [u for u in unseen if u not in fine]
wide = {'seen': wide_seen, 'unseen': unseen}
os.makedirs(os.path.join(root, 'splits'), exist_ok=True)
for name, s in (('emoji-coco-48-17.json', split), ('emoji-wide.json', wide)):
    with open(os.path.join(root, 'splits', name), 'w') as f:
        json.dump(s, f, indent=1)
        f.write('\n')
print(f"emoji-coco-48-17: {len(split['seen'])} seen, {len(split['unseen'])} unseen; "
      f"COCO classes without a drawing in every style: {', '.join(missing)}")
print(f"emoji-wide: {len(wide_seen)} seen, {len(unseen)} unseen")
