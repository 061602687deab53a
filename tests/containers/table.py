#!/usr/bin/env python3
"""table.py - the scenario table: TSV rows written by the harness, rendered
as Markdown, kept in docs/scenarios.md between markers.

  table.py render ROWS.tsv            Markdown to stdout
  table.py compare DOC NAME TABLE.md  exit 1 (with a diff) unless DOC's block NAME is TABLE.md
  table.py update DOC NAME TABLE.md   rewrite DOC's block NAME
"""
import difflib
import sys

HEAD = ("scenario", "runtime flags", "predicted (memlock check)",
        "observed", "fix verified")


def cell(s):
    return s.replace("|", "\\|").strip()


def render(path):
    rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
    out = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    for r in rows:
        out.append("| " + " | ".join(cell(c) for c in r) + " |")
    return "\n".join(out) + "\n"


def markers(name):
    return f"<!-- table:{name} begin -->\n", f"<!-- table:{name} end -->\n"


def block(doc, name):
    text = open(doc).read()
    b, e = markers(name)
    if b not in text or e not in text:
        return text, None
    head, rest = text.split(b, 1)
    body, tail = rest.split(e, 1)
    return text, (head, body, tail)


def main():
    cmd = sys.argv[1]
    if cmd == "render":
        sys.stdout.write(render(sys.argv[2]))
        return 0
    doc, name, md = sys.argv[2], sys.argv[3], sys.argv[4]
    new = open(md).read()
    text, parts = block(doc, name)
    b, e = markers(name)
    if cmd == "update":
        if parts is None:
            text = text.rstrip("\n") + "\n\n" + b + new + e
        else:
            text = parts[0] + b + new + e + parts[2]
        open(doc, "w").write(text)
        return 0
    if parts is None:
        print(f"{doc}: no block '{name}' (run with ML_UPDATE_DOCS=1)")
        return 1
    if parts[1] != new:
        sys.stdout.writelines(difflib.unified_diff(
            parts[1].splitlines(True), new.splitlines(True), doc, "observed"))
        print(f"{doc} is out of date: rerun with ML_UPDATE_DOCS=1 and commit it")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
