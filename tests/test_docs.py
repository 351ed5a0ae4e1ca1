"""Every ```python block of README.md and docs/**/*.md runs, and shows what it prints.

* Blocks of one page share a namespace and run in order, as a reader would run them.
* A top-level expression whose line ends in ``# -> EXPECTED`` must evaluate to something whose
  ``str``, ``repr`` or thousands-separated form is ``EXPECTED`` (a ``print(...)`` call is
  compared by what it prints).
* A ```text block right after a python block is that block's expected stdout. Timing lines
  vary from run to run, so the comparison stops at a summary's "Total Wall Time" line.
* A block can opt out only with ``<!-- skip-test: <reason> -->`` on the line before it.

The README's quick start must hold exactly two shell commands, and .ci/run must run the
second one.
"""

from __future__ import annotations

import ast
import contextlib
import io
import pathlib
import re
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
SKIP = re.compile(r"<!--\s*skip-test(?::\s*(.*?))?\s*-->\s*$")
EXPECT = re.compile(r"#\s*->\s*(.+?)\s*$")


@dataclass
class Block:
    lang: str
    code: str
    line: int  # 1-based line of the opening fence
    skip_reason: str | None
    output: str | None = None  # the ```text block that follows, if any


def blocks(text: str) -> list[Block]:
    """Fenced blocks of a page, with their skip marker and the text block that follows."""
    found: list[Block] = []
    prev_end = 0
    for m in FENCE.finditer(text):
        before = text[prev_end : m.start()]
        lines_before = before.rstrip("\n").splitlines()
        marker = SKIP.search(lines_before[-1]) if lines_before else None
        block = Block(
            lang=m.group(1),
            code=m.group(2),
            line=text.count("\n", 0, m.start()) + 1,
            skip_reason=(marker.group(1) or "") if marker else None,
        )
        if block.lang == "text" and found and found[-1].lang == "python" and before.strip() == "":
            found[-1].output = block.code
        found.append(block)
        prev_end = m.end()
    return found


def _matches(value: Any, expected: str) -> bool:
    candidates = {str(value), repr(value)}
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        candidates.add(f"{int(value):,}")
    if isinstance(value, (float, np.floating)):
        candidates.add(f"{float(value):,}")
    return expected in candidates


def _comparable(text: str) -> str:
    kept = []
    for line in text.strip("\n").splitlines():
        if line.strip().startswith("Total Wall Time:"):
            break
        kept.append(line.rstrip())
    return "\n".join(kept).rstrip()


def run_block(block: Block, ns: dict[str, Any], where: str) -> str:
    """Execute one block in ``ns``, checking ``# -> `` lines; returns what it printed."""
    tree = ast.parse(block.code, filename=where)
    lines = block.code.splitlines()
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        for stmt in tree.body:
            end = stmt.end_lineno or stmt.lineno
            marker = EXPECT.search(lines[end - 1])
            if isinstance(stmt, ast.Expr) and marker:
                expected = marker.group(1)
                code = compile(ast.Expression(stmt.value), where, "eval")
                mark = stdout.tell()
                value = eval(code, ns)
                shown = stdout.getvalue()[mark:].strip() if value is None else value
                assert _matches(shown, expected), (
                    f"{where}, block line {end}: got {shown!r}, the page says {expected}"
                )
            else:
                exec(compile(ast.Module([stmt], []), where, "exec"), ns)
    return stdout.getvalue()


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_code_runs(page: pathlib.Path) -> None:
    ns: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    ran = 0
    for block in blocks(page.read_text()):
        if block.lang != "python":
            continue
        where = f"{page.relative_to(ROOT)}:{block.line}"
        if block.skip_reason is not None:
            assert block.skip_reason.strip(), f"{where}: skip-test marker needs a reason"
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            printed = run_block(block, ns, where)
        if block.output is not None:
            assert _comparable(printed) == _comparable(block.output), where
        ran += 1
    if page.name != "ops.md":
        assert ran, f"{page.relative_to(ROOT)} has no runnable python block"


def test_skip_markers_are_rare_and_explained() -> None:
    skipped = [
        (p, b)
        for p in PAGES
        for b in blocks(p.read_text())
        if b.lang == "python" and b.skip_reason is not None
    ]
    assert all(b.skip_reason.strip() for _, b in skipped)
    assert len(skipped) <= 3


def test_readme_quick_start_has_exactly_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    shell = [b for b in blocks(section) if b.lang in ("bash", "sh", "shell", "console")]
    commands = [
        ln.strip()
        for b in shell
        for ln in b.code.splitlines()
        if ln.strip() and not ln.strip().startswith("#")
    ]
    assert len(commands) == 2, commands
    assert "examples/quickstart.py" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci[0].startswith("#!") and "set -euo pipefail" in ci
    steps = [ln for ln in ci if ln.strip() and not ln.startswith(("#", "set ", "cd "))]
    assert steps[0] == commands[1]
    # after the quick-start command CI only adds conformance runs (docs/conformance.md)
    assert all(ln.startswith(".venv/bin/python -m conformance") for ln in steps[1:])


def test_readme_quick_start_code_is_the_example() -> None:
    """The README shows the code examples/quickstart.py runs (same statements)."""
    readme = (ROOT / "README.md").read_text()
    code = next(b.code for b in blocks(readme) if b.lang == "python")
    example = (ROOT / "examples" / "quickstart.py").read_text()
    for needle in (
        "fnp.random.seed(0)",
        "fnp.sqrt(2 / ",
        "fnp.random.randn(",
        'fnp.einsum("ij,j->i", W, h)',
        "fnp.maximum(h, 0)",
        "flop_budget=10**8",
    ):
        assert needle in code and needle in example, needle


def _nav_pages() -> list[str]:
    text = (ROOT / "mkdocs.yml").read_text()
    nav = text.split("\nnav:\n", 1)[1]
    return re.findall(r":\s*([\w/.-]+\.md)\s*$", nav, re.M)


def test_nav_lists_every_page_and_links_resolve() -> None:
    docs = ROOT / "docs"
    on_disk = sorted(str(p.relative_to(docs)) for p in docs.rglob("*.md"))
    assert sorted(_nav_pages()) == on_disk
    link = re.compile(r"\]\(([^)#\s]+\.md)(#[\w-]+)?\)")
    for page in docs.rglob("*.md"):
        for target, _ in link.findall(page.read_text()):
            if "://" in target:
                continue
            assert (page.parent / target).resolve().is_file(), f"{page.name}: broken {target}"
    for target, _ in link.findall((ROOT / "README.md").read_text()):
        assert (ROOT / target).is_file(), f"README.md: broken {target}"


def test_mkdocs_build_is_clean(tmp_path: pathlib.Path) -> None:
    mkdocs = pytest.importorskip("mkdocs.commands.build", reason="docs extra not installed")
    from mkdocs.config import load_config

    pytest.importorskip("material", reason="mkdocs-material not installed")
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config["strict"] = True
    mkdocs.build(config)
    assert (tmp_path / "site" / "reference" / "ops" / "index.html").is_file()


def test_pending_feature_notes_are_still_true() -> None:
    """The differences page says which features have not landed; fail once one lands, so the
    page gets its runnable example instead of the note."""
    import flopscope as flops

    text = (ROOT / "docs" / "differences.md").read_text()
    # flops.stats landed: §5 must show it with a runnable example, not a pending note
    assert "`flops.stats` is not part of this version yet" not in text
    assert "flops.stats.norm.pdf(x, loc=np.zeros((4, 5)))" in text
    if "(`flops.as_symmetric`, `SymmetricTensor`) are not part of this" in text:
        assert not hasattr(flops, "as_symmetric"), "symmetry landed: update §6"


def test_blocked_list_matches_the_table() -> None:
    from flopscope.ops.blocked import BLOCKED

    text = (ROOT / "docs" / "numpy-surface.md").read_text()
    listed = text.split("Blocked: `", 1)[1].split("`", 1)[0].split()
    assert sorted(listed) == sorted(BLOCKED)
