#!/usr/bin/env python3
"""findings-mdoc.py - the man page's DIAGNOSTICS section from docs/findings.md.

Usage: packaging/findings-mdoc.py docs/findings.md > diagnostics.mdoc

Each `## ` heading of findings.md that holds a table of codes becomes a subsection, and each
table row (`| `code` | severity | [incomplete |] meaning | [likely cause |] what to do |`) a
tagged item: the code, its severity, the meaning, cause and remedy as sentences. Columns are
found by their header names, so the tables may differ in which they have. Text is escaped for
mdoc: backslashes, leading dots and apostrophes, and every non-ASCII character as a groff
named or \\[uXXXX] glyph, so the page renders the same on any locale.
"""
import re
import sys

# Glyphs groff names; everything else non-ASCII becomes \[uXXXX].
NAMED = {"§": r"\(sc", "–": r"\(en", "—": r"\(em", "…": r"\&.\|.\|.", "→": r"\(->"}


def escape(text):
    """Markdown inline text as mdoc text: code spans bold, emphasis dropped, links as text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("**", "").replace("\\", "\x00")
    out = []
    for index, part in enumerate(text.split("`")):
        part = part.replace("\x00", r"\e")
        part = "".join(
            NAMED.get(c, c) if ord(c) < 0x80 or c in NAMED else r"\[u%04X]" % ord(c) for c in part
        )
        part = part.replace("*", "") if index % 2 == 0 else part
        # In code, `-` is a minus (an option's dash), so that a copied command works.
        out.append(r"\fB" + part.replace("-", r"\-") + r"\fR" if index % 2 == 1 else part)
    return "".join(out)


def line(text):
    """One mdoc text line: a leading dot or apostrophe would start a request."""
    return (r"\&" + text) if text[:1] in (".", "'") else text


def sentence(text):
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def cells(row):
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def main(path):
    with open(path, encoding="utf-8") as source:
        lines = source.read().splitlines()
    print(".Sh DIAGNOSTICS")
    print("Every finding names a stable code, a severity")
    print(".Pq error, warning, info ,")
    print("the side it was seen on, and where known the area, path, mailbox and both values.")
    print("Codes marked incomplete mean part of a side could not be read: exit status 2.")
    print("The codes, by where they are found:")
    heading, header, count = None, None, 0
    for text in lines:
        if text.startswith("## "):
            heading, header = text[3:].strip(), None
            continue
        if not text.startswith("|"):
            if header is not None:
                print(".El")
            header = None
            continue
        row = cells(text)
        if header is None:
            header = [name.lower() for name in row]
            if "code" not in header:
                sys.exit(f"{path}: a table under '{heading}' has no code column")
            print(".Ss " + escape(heading))
            print(".Bl -tag -width Ds")
            continue
        if set("".join(row)) <= set("-: "):
            continue  # the |---| separator
        field = dict(zip(header, row))
        code = field["code"].strip("`")
        if not re.fullmatch(r"[a-z0-9-]+\.[a-z0-9.-]+", code):
            sys.exit(f"{path}: '{field['code']}' is not a finding code")
        print(".It Sy " + code)
        severity = field.get("severity", "")
        incomplete = " Incomplete." if field.get("incomplete") == "yes" else ""
        print(line(escape(sentence(severity[:1].upper() + severity[1:])) + incomplete))
        meaning = field.get("meaning", "")
        print(line(escape(sentence(meaning[:1].upper() + meaning[1:]))))
        for label, key in (("Likely cause", "likely cause"), ("What to do", "what to do")):
            if field.get(key):
                print(line(escape(sentence(f"{label}: {field[key]}"))))
        count += 1
    if header is not None:
        print(".El")
    if count == 0:
        sys.exit(f"{path}: no finding codes found")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: findings-mdoc.py docs/findings.md")
    main(sys.argv[1])
