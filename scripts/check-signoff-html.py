#!/usr/bin/env python3
"""Reads a sign-off page (signoff.html) as a browser's parser would and prints what a person
sees of it, as JSON: the verdict, each listed finding, each procedure step, each manifest.

Python's html.parser tokenizes like HTML5 (character references decoded, attributes parsed);
on top of it this script checks what the tests rely on, and lists every breach in "errors"
(exit status 1 when there is one):
  - the elements nest properly (every end tag closes the innermost open element);
  - the page is self-contained: no script, no external style sheet, image, frame or font (no
    src/href/action/srcset attribute but a fragment, no <link>, no url() or @import in CSS);
  - there is exactly one #verdict.

Usage: check-signoff-html.py signoff.html
"""

import html.parser
import json
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
FORBIDDEN = {"script", "link", "img", "iframe", "frame", "object", "embed", "audio", "video",
             "source", "base", "form"}
REFERENCES = {"src", "href", "action", "srcset", "data", "poster", "background", "formaction"}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.title = ""
        self.verdict = []
        self.verdict_count = 0
        self.findings = []
        self.steps = []
        self.manifests = []
        self.row = None       # the finding, step or manifest row being read
        self.cell = None      # its cell being read: (class or index, text parts)
        self.cells = 0
        self.in_verdict = 0
        self.in_title = False
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FORBIDDEN:
            self.errors.append(f"<{tag}> at line {self.getpos()[0]}: not self-contained")
        for name, value in attrs:
            if name in REFERENCES and not (value or "").startswith("#"):
                self.errors.append(f"<{tag} {name}={value!r}>: an external reference")
            if name == "style" and "url(" in (value or ""):
                self.errors.append(f"<{tag} style>: url() in a style attribute")
        if tag not in VOID:
            self.stack.append(tag)
        if self.in_verdict:
            self.in_verdict += 1 if tag not in VOID else 0
        if attributes.get("id") == "verdict":
            self.verdict_count += 1
            self.in_verdict = 1
        if tag == "title":
            self.in_title = True
        if tag == "style":
            self.in_style = True
        classes = (attributes.get("class") or "").split()
        if tag == "tr" and "finding" in classes:
            self.row = {"kind": "finding", "code": attributes.get("data-code"),
                        "class": attributes.get("data-class"), "cells": {}}
        elif tag == "tr" and "step" in classes:
            self.row = {"kind": "step", "id": attributes.get("data-step"), "cells": {}}
        elif tag == "tr" and "manifest" in classes:
            self.row = {"kind": "manifest", "side": attributes.get("data-side"), "cells": {}}
        elif tag == "td" and self.row is not None:
            key = classes[0] if classes else str(self.cells)
            self.cells += 1
            self.cell = (key, [])

    def handle_startendtag(self, tag, attrs):
        # <meta .../>: a void element written the XML way.
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(
                f"</{tag}> at line {self.getpos()[0]} closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()
        if self.in_verdict:
            self.in_verdict -= 1
        if tag == "title":
            self.in_title = False
        if tag == "style":
            self.in_style = False
        if tag == "td" and self.cell is not None and self.row is not None:
            key, parts = self.cell
            self.row["cells"][key] = "".join(parts)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            row, self.row, self.cells = self.row, None, 0
            kind = row.pop("kind")
            {"finding": self.findings, "step": self.steps, "manifest": self.manifests}[kind].append(row)

    def handle_data(self, data):
        if self.in_style and ("url(" in data or "@import" in data):
            self.errors.append("an external reference in the style sheet")
        if self.in_title:
            self.title += data
        if self.in_verdict:
            self.verdict.append(data)
        if self.cell is not None:
            self.cell[1].append(data)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as file:
        text = file.read()
    page = Page()
    page.feed(text)
    page.close()
    if page.stack:
        page.errors.append(f"elements left open: {page.stack}")
    if page.verdict_count != 1:
        page.errors.append(f"{page.verdict_count} elements with id verdict")
    if not text.startswith("<!DOCTYPE html>"):
        page.errors.append("no <!DOCTYPE html> first")
    json.dump({"title": page.title, "verdict": "".join(page.verdict).strip(),
               "findings": page.findings, "steps": page.steps, "manifests": page.manifests,
               "errors": page.errors}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    sys.exit(1 if page.errors else 0)


if __name__ == "__main__":
    main()
