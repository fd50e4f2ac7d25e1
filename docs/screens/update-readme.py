#!/usr/bin/env python3
"""Refresh the screenshots in README.md from docs/screens/*.txt.

README.md marks each one with `<!-- screen:NAME -->` on the line before a ``` block; the
block is replaced by docs/screens/NAME.txt.  Run after docs/screens/capture.sh."""
import os
import re
import sys

top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
path = os.path.join(top, "README.md")
text = open(path, encoding="utf-8").read()


def repl(m):
    name = m.group(1)
    shot = open(os.path.join(top, "docs", "screens", name + ".txt"), encoding="utf-8").read()
    return "<!-- screen:%s -->\n```\n%s\n```" % (name, shot.rstrip("\n"))


new, n = re.subn(r"<!-- screen:([\w-]+) -->\n```\n.*?\n```", repl, text, flags=re.S)
open(path, "w", encoding="utf-8").write(new)
print("README.md: %d screenshots refreshed" % n, file=sys.stderr)
