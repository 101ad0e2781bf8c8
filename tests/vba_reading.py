"""Reading VBA source in tests: its procedures, which lines run for given values (block and
``#If`` conditions), which procedures a procedure calls, and the value of simple string
expressions (literals, ``&``, ``Replace``, ``Chr``, variables and one-line functions)."""

from __future__ import annotations

import re

PROCEDURE = re.compile(r"^(?:(?:Public|Private) )?(Sub|Function) (\w+)\((.*?)\)[^\n]*\n(.*?)^End \1",
                       re.MULTILINE | re.DOTALL)


def procedures(code: str) -> dict[str, list[str]]:
    """Every Sub/Function of a module: name → its body's lines, stripped, blank lines left out."""
    return {m[2]: [line.strip() for line in m[4].splitlines() if line.strip()] for m in PROCEDURE.finditer(code)}


def parameters(code: str, name: str) -> list[str]:
    found = next(m for m in PROCEDURE.finditer(code) if m[2] == name)
    return [part.split()[-3 if " As " in part else -1] for part in found[3].split(",") if part.strip()]


def _truth(condition: str, known: dict[str, object]) -> bool | None:
    """True/False when ``condition`` uses only ``known`` names, else None (either may hold)."""
    names = set(re.findall(r"\b[A-Za-z_]\w*\b", re.sub(r'"(?:[^"]|"")*"', '""', condition))) - {"Or", "And", "Not"}
    if not names <= set(known):
        return None
    literals: list[str] = []

    def hold(match: re.Match) -> str:  # VBA strings out of the way (and as Python reads them)
        literals.append(repr(match[0][1:-1].replace('""', '"')))
        return f"__{len(literals) - 1}__"

    python = re.sub(r'"(?:[^"]|"")*"', hold, condition)
    python = re.sub(r"<>", "!=", python)
    python = re.sub(r"(?<![<>!=])=(?!=)", "==", python)
    python = python.replace(" Or ", " or ").replace(" And ", " and ").replace("Not ", "not ")
    python = re.sub(r"__(\d+)__", lambda m: literals[int(m[1])], python)
    return bool(eval(python, {}, dict(known)))  # noqa: S307 — our own generated conditions


def _without_comment(line: str) -> str:
    """The line without a trailing ``'`` comment (an apostrophe inside a string stays)."""
    outside = True
    for index, char in enumerate(line):
        if char == '"':
            outside = not outside
        elif char == "'" and outside:
            return line[:index].rstrip()
    return line


def _branches(lines: list[str], known: dict[str, object], marker: str) -> list[str]:
    """``lines`` without those under an If (``marker`` "#") or a block If ("") that cannot hold."""
    stack: list[tuple[bool, bool]] = []  # (this branch may run, an earlier branch surely ran)
    kept = []
    for line in lines:
        statement = line[len(marker):] if line.startswith(marker) and not line.startswith(marker + "#") else None
        if statement is not None and (marker or not line.startswith("#")):
            opening = re.fullmatch(r"If (.+) Then", statement)
            branch = re.fullmatch(r"ElseIf (.+) Then", statement)
            if opening:
                truth = _truth(opening[1], known)
                stack.append((truth is not False, truth is True))
                continue
            if branch or statement == "Else":
                _, taken = stack.pop()
                truth = _truth(branch[1], known) if branch else True
                stack.append((not taken and truth is not False, taken or truth is True))
                continue
            if statement == "End If":
                stack.pop()
                continue
        if all(may for may, _ in stack):
            kept.append(line)
    return kept


def running_lines(body: list[str], known: dict[str, object]) -> list[str]:
    """The lines that can run when the names in ``known`` hold those values: the preprocessor's
    ``#If`` first, then block ``If``s; a line under a condition that is then false never runs (an
    ``Else`` branch runs when no earlier branch surely did). Comments are left out."""
    code = [_without_comment(line) for line in body]
    return _branches(_branches([line for line in code if line], known, "#"), known, "")


def calls(lines: list[str], known_procedures: set[str]) -> set[str]:
    """The procedures of ``known_procedures`` these lines call."""
    words = {word for line in lines for word in re.findall(r"\b(\w+)\b", re.sub(r'"(?:[^"]|"")*"', '""', line))}
    return words & known_procedures


def evaluate(expression: str, variables: dict[str, str], functions: dict | None = None) -> str:
    """The value of a VBA string expression of literals, variables, ``&`` and calls of
    ``Replace``, ``Chr`` or the given ``functions`` (name → Python callable)."""
    functions = {"Replace": lambda text, old, new: text.replace(old, new), "Chr": lambda code: chr(int(code)),
                 **(functions or {})}
    tokens = re.findall(r'"(?:[^"]|"")*"|\d+|\w+|[&(),]', expression)
    position = 0

    def term() -> str:
        nonlocal position
        token = tokens[position]
        position += 1
        if token.startswith('"'):
            return token[1:-1].replace('""', '"')
        if token.isdigit():
            return token
        if position < len(tokens) and tokens[position] == "(":
            position += 1
            args = [concatenation()]
            while tokens[position] == ",":
                position += 1
                args.append(concatenation())
            position += 1  # ")"
            return functions[token](*args)
        return variables[token]

    def concatenation() -> str:
        nonlocal position
        value = term()
        while position < len(tokens) and tokens[position] == "&":
            position += 1
            value += term()
        return value

    result = concatenation()
    assert position == len(tokens), f"could not read {expression!r}"
    return result


def one_line_function(code: str, name: str):
    """A VBA Function whose body is ``Name = <expression>``, as a Python callable."""
    body = [line for line in procedures(code)[name] if not line.startswith("'")]
    assert len(body) == 1 and body[0].startswith(f"{name} = "), body
    names = parameters(code, name)
    return lambda *args: evaluate(body[0][len(name) + 3:], dict(zip(names, args)))
