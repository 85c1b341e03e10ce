"""No module outside ``accounts/roles.py`` decides by role name (ADR 0003): a check asks for a
capability (``accounts.permissions.require`` / ``allowed``), so that what a role may do is written
once. The test reads the source with ``ast`` and flags every comparison that involves a role:
``user.role == …``, ``Role.COUNTY_OFFICER`` compared with anything, ``role in (Role.…, …)``, a
role's value as a string literal, and ``match user.role``. Tests and migrations are not checked:
they set up and inspect users by role on purpose."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import safetynet
from safetynet.accounts.roles import Role

ROOT = Path(safetynet.__file__).parent
ALLOWED_MODULE = Path("accounts/roles.py")

# PENDING: role comparisons in ``determination`` that its restructuring (issue 9, helper `det`)
# replaces by capabilities. The lead empties this set when that branch is merged; nothing may be
# added to it.
PENDING: frozenset[tuple[str, str]] = frozenset(
    {
        ("determination/views_limits.py", "user.role == Role.ADMINISTRATOR"),
        ("determination/services/decisions.py", "actor.role == Role.TOWNSHIP_OFFICER"),
        ("determination/selectors.py", "user.role == Role.TOWNSHIP_OFFICER"),
        ("determination/services/limits.py", "getattr(actor, 'role', '') != 'administrator'"),
    }
)

_ROLE_MEMBERS = frozenset(Role.names)
_ROLE_VALUES = frozenset(Role.values)


def _names_a_role(node: ast.AST) -> bool:
    """Is ``node`` a role, by attribute, enum member, ``getattr`` or literal value?"""
    match node:
        case ast.Attribute(attr="role"):
            return True
        case ast.Attribute(value=ast.Name(id="Role"), attr=attr) if attr in _ROLE_MEMBERS:
            return True
        case ast.Call(func=ast.Name(id="getattr"), args=[_, ast.Constant(value="role"), *_]):
            return True
        case ast.Constant(value=str() as text) if text in _ROLE_VALUES:
            return True
        case ast.Tuple(elts=elts) | ast.List(elts=elts) | ast.Set(elts=elts):
            return any(_names_a_role(element) for element in elts)
    return False


def role_comparisons(source: str) -> Iterator[tuple[int, str]]:
    """(line, code) of each comparison by role name in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            if any(_names_a_role(part) for part in (node.left, *node.comparators)):
                yield node.lineno, ast.unparse(node)
        elif isinstance(node, ast.Match) and _names_a_role(node.subject):
            yield node.lineno, f"match {ast.unparse(node.subject)}"


def _modules() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative == ALLOWED_MODULE or {"tests", "migrations"} & set(relative.parts):
            continue
        yield relative


def test_no_module_compares_a_role_by_name() -> None:
    found = []
    for relative in _modules():
        for line, code in role_comparisons((ROOT / relative).read_text(encoding="utf-8")):
            if (relative.as_posix(), code) not in PENDING:
                found.append(f"{relative}:{line}: {code}")
    assert not found, "compare capabilities, not role names (ADR 0003):\n" + "\n".join(found)


def test_the_check_sees_every_form_of_role_comparison() -> None:
    source = "\n".join(
        [
            'if user.role == "county_officer": pass',
            "if actor.role != Role.ADMINISTRATOR: pass",
            "if Role.COUNTY_OFFICER == kind: pass",
            "if user.role in (Role.ADMINISTRATOR, Role.COUNTY_OFFICER): pass",
            "if role in {Role.AUDITOR}: pass",
            'if getattr(user, "role", "") == "auditor": pass',
            'if kind == "township_officer": pass',
            "match user.role:\n    case _: pass",
        ]
    )
    assert sorted(line for line, _ in role_comparisons(source)) == [1, 2, 3, 4, 5, 6, 7, 8]


def test_capability_checks_and_role_validation_are_not_flagged() -> None:
    source = "\n".join(
        [
            "if user.has_capability(Capability.VIEW_CASES): pass",
            "if role not in Role.values: pass",
            "capabilities = ROLE_CAPABILITIES.get(user.role, frozenset())",
            'if kind == "county": pass',
        ]
    )
    assert list(role_comparisons(source)) == []
