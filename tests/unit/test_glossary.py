"""A label a user reads is written once, in the glossary (riskmotor/domain/terms.py).

The test reads every module of riskmotor/ and streamlit_app/ and fails on a string constant
that spells a glossary label: such a literal is a second home of the label, and the two drift
apart the day one of them is reworded.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from riskmotor.domain import terms

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "riskmotor" / "domain" / "terms.py"
SHORTEST_LABEL = 3  # "S", "K", "Ja": too short to tell a label from a word in a sentence

# Calls whose string arguments are not labels shown but the spellings a file is read by.
# riskmotor.imports.Column: the header an imported file must have (and its synonyms) is a
# documented file format; renaming a label in the glossary must not stop yesterday's export
# from the case system being read.
FILE_FORMAT_CALLS = frozenset({"Column"})


def glossary_labels() -> set[str]:
    """Every value of the glossary's module-level label tables."""
    return {
        text
        for name, table in vars(terms).items()
        if name.isupper() and isinstance(table, dict)
        for text in table.values()
        if isinstance(text, str) and len(text) >= SHORTEST_LABEL
    }


def _modules() -> Iterator[Path]:
    for folder in ("riskmotor", "streamlit_app"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path != GLOSSARY and "migrations" not in path.parts:
                yield path


def _exempt_nodes(tree: ast.Module) -> set[int]:
    """Docstrings and the arguments of file-format calls, by node id."""
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                exempt.add(id(first.value))
        elif isinstance(node, ast.Call) and _called_name(node) in FILE_FORMAT_CALLS:
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                exempt.update(id(inner) for inner in ast.walk(argument))
    return exempt


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def labels_in(source: str, labels: set[str]) -> list[tuple[int, str]]:
    """(line, literal) for each string constant of ``source`` that spells a label."""
    tree = ast.parse(source)
    exempt = _exempt_nodes(tree)
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in labels
        and id(node) not in exempt
    )


def repeated_labels(labels: set[str]) -> list[str]:
    """'file:line: literal' for each string constant that spells a glossary label."""
    return [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in _modules()
        for line, text in labels_in(path.read_text(encoding="utf-8"), labels)
    ]


def test_the_glossary_has_labels_to_look_for() -> None:
    labels = glossary_labels()
    assert {"Sannolikhet", "Kontrollmoment", "Lex Sarah"} <= labels


def test_no_glossary_label_is_written_as_a_literal_elsewhere() -> None:
    repeated = repeated_labels(glossary_labels())
    assert not repeated, (
        f"{len(repeated)} literals repeat a glossary label; use the lookup in "
        "riskmotor/domain/terms.py (label(...), EXPORT_LABELS[...], …) instead:\n"
        + "\n".join(repeated)
    )


def test_the_scan_finds_a_label_written_by_hand() -> None:
    """The check itself can fail: a repeated label is found; a docstring and an import
    file's header spelling are not."""
    source = (
        '"""Sannolikhet in a docstring is prose."""\n'
        'st.metric("Sannolikhet", 3)\n'
        'Column("likelihood", "Sannolikhet", ("sannolikhet",))\n'
    )
    assert labels_in(source, {"Sannolikhet"}) == [(2, "Sannolikhet")]
