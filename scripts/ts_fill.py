#!/usr/bin/env python3
"""Fill translations into a Qt .ts file from a JSON {source: translation} map.

Used when new strings appear: run `cmake --build build --target update_translations`, write
the new pairs into a JSON file, then `scripts/ts_fill.py translations/zsi_studio_zh_CN.ts
new.json`. Entries that get a translation lose their type="unfinished" mark. Prints the
sources still unfinished and exits 1 if any remain.
"""
import json
import sys
import xml.etree.ElementTree as ET


def main() -> int:
    ts_path, map_path = sys.argv[1], sys.argv[2]
    mapping = json.load(open(map_path, encoding="utf-8"))
    tree = ET.parse(ts_path)
    missing = []
    for msg in tree.getroot().iter("message"):
        src = msg.find("source").text or ""
        tr = msg.find("translation")
        if src in mapping:
            tr.text = mapping[src]
            tr.attrib.pop("type", None)
        if tr.get("type") == "unfinished":
            missing.append(src)
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    # ElementTree drops the DOCTYPE that lupdate writes; put it back.
    text = open(ts_path, encoding="utf-8").read()
    if "<!DOCTYPE TS>" not in text:
        text = text.replace("?>\n", "?>\n<!DOCTYPE TS>\n", 1)
        open(ts_path, "w", encoding="utf-8").write(text)
    for m in missing:
        print("unfinished:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
