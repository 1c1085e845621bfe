"""Regenerate docs/parameters.md from sim/params/schema.py and configs/ (see sim/params/paramdoc.py).

.venv/bin/python scripts/make_param_docs.py           # rewrite the page
.venv/bin/python scripts/make_param_docs.py --check   # exit 1 if the page is stale
"""

from __future__ import annotations

import argparse
import sys

from sim.params.paramdoc import DOC_PATH, render


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the page is current")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = DOC_PATH.read_text() if DOC_PATH.exists() else ""
        if current != text:
            print(f"{DOC_PATH} is out of date: run `python scripts/make_param_docs.py`", file=sys.stderr)
            return 1
        return 0
    DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOC_PATH.write_text(text)
    print(f"wrote {DOC_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
