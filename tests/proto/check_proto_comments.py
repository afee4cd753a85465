#!/usr/bin/env python3
"""Checks that every declaration in etnik's .proto files has a leading `//` comment.

A leading comment is a `//` line with text directly above the declaration (no blank line in
between), which is what protoc attaches to the descriptor and what generated code and API
docs show. Checked: service, rpc, message, field (including map and oneof members), oneof,
enum and enum value. Usage: check_proto_comments.py [DIR_OR_FILE ...] (default: proto).
"""

import pathlib
import re
import sys

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"' + r"|'(?:[^'\\]|\\.)*'")
_DECLARATIONS = [
    ("service", re.compile(r"^service\s+(\w+)")),
    ("rpc", re.compile(r"^rpc\s+(\w+)")),
    ("message", re.compile(r"^message\s+(\w+)")),
    ("enum", re.compile(r"^enum\s+(\w+)")),
    ("oneof", re.compile(r"^oneof\s+(\w+)")),
    ("field", re.compile(r"^map\s*<[^>]*>\s*(\w+)\s*=\s*\d+")),
    ("field", re.compile(r"^(?:(?:repeated|optional|required)\s+)?[.\w]+\s+(\w+)\s*=\s*\d+")),
    ("enum value", re.compile(r"^([A-Z][A-Z0-9_]*)\s*=\s*-?\d+")),
]
_SKIPPED = re.compile(r"^(syntax|edition|package|import|option|reserved|extensions|extend|\})\b|^\}")


def _code_part(line):
    """The line without string literals' contents and without a trailing // comment."""
    masked = _STRING.sub('""', line)
    cut = masked.find("//")
    return (masked if cut < 0 else masked[:cut]).strip()


def _is_comment(line):
    stripped = line.strip()
    return stripped.startswith("//") and stripped.lstrip("/").strip() != ""


def check_text(text, label):
    """Returns a list of "label:line: problem" strings for one file's text."""
    problems = []
    lines = text.splitlines()
    in_statement = False  # inside a declaration continued over several lines
    for index, line in enumerate(lines):
        if line.strip().startswith("//") or not line.strip():
            continue
        if "/*" in _code_part(line):
            problems.append(f"{label}:{index + 1}: use // comments, not /* */")
        code = _code_part(line)
        if not in_statement and not _SKIPPED.match(code):
            for kind, pattern in _DECLARATIONS:
                match = pattern.match(code)
                if match:
                    if index == 0 or not _is_comment(lines[index - 1]):
                        problems.append(
                            f"{label}:{index + 1}: {kind} {match.group(1)} has no leading // comment")
                    break
            else:
                problems.append(f"{label}:{index + 1}: unrecognised declaration: {code}")
        in_statement = not code.endswith((";", "{", "}"))
    return problems


def proto_files(paths):
    files = []
    for path in map(pathlib.Path, paths):
        files.extend(sorted(path.rglob("*.proto")) if path.is_dir() else [path])
    return files


def main(argv):
    files = proto_files(argv[1:] or ["proto"])
    if not files:
        print("check_proto_comments: no .proto files found", file=sys.stderr)
        return 1
    problems = []
    for path in files:
        problems.extend(check_text(path.read_text(encoding="utf-8"), str(path)))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"check_proto_comments: {len(problems)} problem(s) in {len(files)} file(s)",
              file=sys.stderr)
        return 1
    print(f"check_proto_comments: {len(files)} file(s), every declaration commented")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
