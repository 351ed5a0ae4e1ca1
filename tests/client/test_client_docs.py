"""The client examples of docs/remote.md run against a real server and print what they show.

``tests/test_docs.py`` runs docs blocks in-process with the full package; these blocks are
marked ``skip-test`` there because they need the client and a server, and run here instead:
all of them, in order, in one client process (numpy-free), each compared with the ```text
block that follows it. (The page keeps its client code in one block: docs skip markers are
rationed.)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import CLIENT_SRC, ROOT, Server

PAGE = ROOT / "docs" / "remote.md"
MARK = "tests/client/test_client_docs.py"
BLOCK = re.compile(
    r"<!-- skip-test: [^>]*" + re.escape(MARK) + r" -->\n```python\n(.*?)```\n\n```text\n(.*?)```",
    re.S,
)
SEP = "=====8<====="


def test_client_examples_of_the_remote_page(server: Server, tmp_path: Path) -> None:
    found = BLOCK.findall(PAGE.read_text())
    assert found, "the client example of docs/remote.md lost its marker"
    program = f"\nprint({SEP!r})\n".join(code for code, _ in found)
    env = {**os.environ, "PYTHONPATH": str(CLIENT_SRC), "FLOPSCOPE_SERVER_URL": server.url}
    r = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert r.returncode == 0, r.stderr
    outputs = r.stdout.split(SEP + "\n")
    assert len(outputs) == len(found)
    for (code, want), got in zip(found, outputs):
        assert got.strip() == want.strip(), f"block:\n{code}"
