"""Fill empty or fuzzy msgstr entries of a .po file from a JSON dict {msgid: msgstr}.

Used by `make messages`: locale/zh_hans*.json (one file per app or area) is where translators
write; the script prints every msgid that still lacks a translation (the suite fails while any is).
"""

import json
import re
import sys

QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def fill(po_path: str, *dict_paths: str) -> list[str]:
    translations = {}
    for dict_path in dict_paths:
        with open(dict_path, encoding="utf-8") as fh:
            translations.update(json.load(fh))
    with open(po_path, encoding="utf-8") as fh:
        blocks = fh.read().split("\n\n")
    missing, out = [], []
    for block in blocks:
        if "msgid " in block and "msgstr " in block and "msgid_plural" not in block:
            start = re.search(r"^msgid ", block, re.M).start()
            head, rest = block[:start], block[start + len("msgid ") :]
            msgid_part, msgstr_part = re.split(r"^msgstr ", rest, maxsplit=1, flags=re.M)
            msgid = unescape("".join(QUOTED.findall(msgid_part)))
            msgstr = "".join(QUOTED.findall(msgstr_part))
            fuzzy = "#, fuzzy" in head
            if msgid and (not msgstr or fuzzy):
                if msgid in translations:
                    lines = [line for line in head.split("\n") if not line.startswith("#|")]
                    head = "\n".join(lines).replace("#, fuzzy\n", "").replace(", fuzzy", "")
                    block = f'{head}msgid {msgid_part}msgstr "{escape(translations[msgid])}"'
                else:
                    missing.append(msgid)
        out.append(block)
    with open(po_path, "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(out))
    return missing


if __name__ == "__main__":
    missing = fill(sys.argv[1], *sys.argv[2:])
    for msgid in missing:
        print("untranslated:", msgid)
    # Missing translations are reported here and fail tests/test_project.py; compiling goes on.
    sys.exit(0)
