"""A pipeline run in a process of its own, for tests that kill or race it.

    python -m tests.support.worker OUT THREAD LOG [--postgres URL] [--resume]
        [--slow PATH]

Runs the three-file calculator blueprint with scripted models. The editor
appends ``start PATH`` and ``done PATH`` to LOG around every call, and sleeps
for a long time on the file given by ``--slow``, so a test can kill the
process in the middle of the editor phase.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from archedit import runner
from graph.context import Context
from tests.support.pipeline import GOOD, plan_reply
from tests.support.scripted import PLAN, ScriptedChatModel, fenced

SLOW_S = 600.0


class LoggedEditor(ScriptedChatModel):
    """A scripted editor that logs its calls and stalls on one file."""

    log: str
    slow: str | None = None

    def _generate(self, messages: Any, *args: Any, **kwargs: Any) -> Any:
        path = str(messages[1].content).split("File: ", 1)[1].split()[0]
        self._note(f"start {path}")
        if path == self.slow:
            time.sleep(SLOW_S)
        result = super()._generate(messages, *args, **kwargs)
        self._note(f"done {path}")
        return result

    def _note(self, line: str) -> None:
        with open(self.log, "a") as handle:
            handle.write(line + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("thread")
    parser.add_argument("log")
    parser.add_argument("--postgres")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--slow")
    args = parser.parse_args()
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = LoggedEditor(
        scripts={path: [fenced(code)] for path, code in GOOD.items()},
        log=args.log,
        slow=args.slow,
    )
    context = Context(architect=architect, editor=editor, out_dir=args.out)
    state = runner.execute(
        None if args.resume else "calc",
        context,
        thread_id=args.thread,
        postgres_url=args.postgres,
    )
    statuses = {path: r["status"] for path, r in state["results"].items()}
    editor._note(f"finished {sorted(statuses.items())}")


if __name__ == "__main__":
    main()
