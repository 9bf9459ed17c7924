"""Template source mistakes that Django renders instead of rejecting."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = [
    p
    for p in ROOT.glob("*/**/templates/**/*.html")
    if not p.relative_to(ROOT).parts[0].startswith(".")
] + list((ROOT / "templates").glob("**/*.html"))
# Django's {# #} comment ends on its own line; one spanning lines is printed on
# the page as text (the grid once showed its comment to every coordinator).
OPEN_COMMENT = re.compile(r"\{#(?!.*#\})")


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 50


def test_no_one_line_comment_spans_lines():
    unclosed = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in TEMPLATES
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OPEN_COMMENT.search(line)
    ]
    assert unclosed == []
