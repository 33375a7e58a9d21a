"""Log lines that stay lines: a CR or LF in a message (a typed user name, a path) is escaped,
so nobody can forge a second log line by putting a line break in what they send."""

from __future__ import annotations

import logging


def one_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


class OneLineFormatter(logging.Formatter):
    """The standard formatter, with the message escaped; a traceback follows on its lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        return one_line(super().formatMessage(record))
