"""Reading what the operator hands the accounts commands in files: passwords."""

from __future__ import annotations

from pathlib import Path

from credstack.errors import InvalidInput, Problem


def read_password_file(path: Path) -> str:
    """The password in ``path``: its first line, without the line ending."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise InvalidInput([Problem("", f"cannot read the password file: {reason}",
                                    str(path))]) from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise InvalidInput([Problem("", "the password file's first line is empty", str(path))])
    return lines[0]
