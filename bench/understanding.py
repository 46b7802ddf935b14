"""How well the conversation understands the way patients write: the corpus's pass rate.

Runs every message of tests/data/patient_corpus at its question (tests/corpus.py) and
prints, per question and language, how many were understood as meant, asked again
(a miss, nothing wrong kept) or misread. Run by hand: `.venv/bin/python bench/understanding.py
[-v]`; figures in bench/README.md. The goal (issue 11): at least 95 % understood.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus import run


def main() -> None:
    verdicts = run()
    table: Counter[tuple[str, str, str]] = Counter()
    for verdict in verdicts:
        table[verdict.entry.file, verdict.entry.lang, verdict.outcome] += 1
    print(f"{'question':10} {'lang':4} {'ok':>4} {'asked':>5} {'wrong':>5}")
    for file, lang in sorted({(f, lang) for f, lang, _ in table}):
        ok, asked, wrong = (table[file, lang, outcome] for outcome in ("ok", "asked", "wrong"))
        print(f"{file:10} {lang:4} {ok:4} {asked:5} {wrong:5}")
    total = Counter(verdict.outcome for verdict in verdicts)
    print(
        f"\n{len(verdicts)} messages: {total['ok']} understood "
        f"({100 * total['ok'] / len(verdicts):.1f} %), {total['asked']} asked again, "
        f"{total['wrong']} misread"
    )
    if "-v" in sys.argv:
        for verdict in verdicts:
            if verdict.outcome != "ok":
                entry = verdict.entry
                where = f"{entry.file}/{entry.lang}"
                print(f"[{verdict.outcome}] {where}: {entry.text!r} {entry.expect}")
                print(f"    {verdict.detail}")


if __name__ == "__main__":
    main()
