"""Regenerate docs/parameters.md from the schema's declarations and configs/ (see sim/params/paramdoc.py).

.venv/bin/python scripts/make_param_docs.py           # rewrite the page
.venv/bin/python scripts/make_param_docs.py --check   # exit 1 if the page is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.params.paramdoc import DOC_PATH, is_current, render


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the page is current")
    parser.add_argument("--doc", type=Path, default=DOC_PATH, help="the page (default: docs/parameters.md)")
    args = parser.parse_args(argv)
    if args.check:
        if not is_current(args.doc):
            print(f"{args.doc} is out of date: run `python scripts/make_param_docs.py`", file=sys.stderr)
            return 1
        return 0
    args.doc.parent.mkdir(parents=True, exist_ok=True)
    args.doc.write_text(render(), encoding="utf-8")
    print(f"wrote {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
