"""Test support: run a program in a real pseudo-terminal and read its screen as text.

Neither pexpect/ptyprocess nor pyte is installed here, so this is a small helper on the
standard library's ``pty`` module plus a minimal terminal emulator: enough of VT100/xterm for
what Textual writes (cursor positioning, erasing, text, UTF-8), with colours and modes
ignored. ``Terminal.text()`` is the screen as lines; ``wait_for`` polls it for a condition, so
a test reads what is on screen before each key it sends, and never sleeps for a fixed time.
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import select
import struct
import subprocess
import termios
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

__all__ = ["KEYS", "Screen", "Terminal"]

# What a terminal sends for the keys the session uses (xterm).
KEYS = {
    "enter": "\r",
    "tab": "\t",
    "escape": "\x1b",
    "space": " ",
    "down": "\x1b[B",
    "up": "\x1b[A",
    "f3": "\x1bOR",
    "f4": "\x1bOS",
    "ctrl+q": "\x11",
}


def _width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


class Screen:
    """A grid of characters driven by the escape sequences a full-screen app writes."""

    def __init__(self, rows: int, columns: int) -> None:
        self.rows, self.columns = rows, columns
        self.grid = [[" "] * columns for _ in range(rows)]
        # The SGR parameters (colours, bold, reverse...) each cell was drawn with, as text:
        # enough to tell a focused button from the same button unfocused.
        self.styles = [[""] * columns for _ in range(rows)]
        self._style = ""
        self.row = self.column = 0
        self._saved = (0, 0)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""  # an escape sequence cut between two reads
        self.synchronized = False  # inside a frame the app marked as one update
        self.replies: list[bytes] = []  # answers to the app's queries, for the terminal to send
        self._frame: list[str] | None = None  # the last whole frame

    def feed(self, data: bytes) -> None:
        text = self._pending + self._decoder.decode(data)
        self._pending = ""
        i = 0
        while i < len(text):
            char = text[i]
            if char == "\x1b":
                end = self._escape(text, i)
                if end is None:  # incomplete: wait for the rest
                    self._pending = text[i:]
                    return
                i = end
                continue
            self._control(char) if ord(char) < 32 or char == "\x7f" else self._put(char)
            i += 1

    # -- text

    def _put(self, char: str) -> None:
        width = _width(char)
        if width == 0:
            return
        if self.column + width > self.columns:  # autowrap
            self.column = 0
            self._line_feed()
        self.grid[self.row][self.column] = char
        self.styles[self.row][self.column] = self._style
        if width == 2 and self.column + 1 < self.columns:
            self.grid[self.row][self.column + 1] = ""
        self.column += width

    def _control(self, char: str) -> None:
        if char == "\r":
            self.column = 0
        elif char == "\n":
            self._line_feed()
        elif char == "\b":
            self.column = max(0, self.column - 1)
        elif char == "\t":
            self.column = min(self.columns - 1, (self.column // 8 + 1) * 8)

    def _line_feed(self) -> None:
        if self.row == self.rows - 1:
            self.grid.pop(0)
            self.grid.append([" "] * self.columns)
            self.styles.pop(0)
            self.styles.append([""] * self.columns)
        else:
            self.row += 1

    # -- escape sequences

    def _escape(self, text: str, start: int) -> int | None:
        """Handle the sequence at ``start``; the index after it, or None if incomplete."""
        if start + 1 >= len(text):
            return None
        kind = text[start + 1]
        if kind == "[":
            end = start + 2
            while end < len(text) and not ("\x40" <= text[end] <= "\x7e"):
                end += 1
            if end >= len(text):
                return None
            self._csi(text[start + 2 : end], text[end])
            return end + 1
        if kind in "]P_^X":  # OSC, DCS, APC...: up to BEL or ST
            end = start + 2
            while end < len(text):
                if text[end] == "\x07":
                    return end + 1
                if text[end] == "\x1b":
                    if end + 1 >= len(text):
                        return None
                    if text[end + 1] == "\\":
                        return end + 2
                end += 1
            return None
        if kind in "()*+":  # character set designation: one more character
            return start + 3 if start + 2 < len(text) else None
        if kind == "7":
            self._saved = (self.row, self.column)
        elif kind == "8":
            self.row, self.column = self._saved
        return start + 2

    def _csi(self, body: str, final: str) -> None:
        if body == "?2026$" and final == "p":
            # The app asks whether we support synchronized output: yes (mode 2026 is reset).
            self.replies.append(b"\x1b[?2026;2$y")
            return
        if body == "?2026" and final in "hl":
            # Synchronized output: the app brackets each frame; text() shows whole frames.
            self.synchronized = final == "h"
            if not self.synchronized:
                self._frame = self.lines()
            return
        if body[:1] in "?<=>" and body:
            return  # private modes (alternate screen, mouse...): no effect on the text
        params = [p for p in body.rstrip(" !\"#$%&'()*+,-./").split(";")]
        numbers = [int(p) if p.isdigit() else 0 for p in params] or [0]

        def arg(index: int, default: int = 1) -> int:
            value = numbers[index] if index < len(numbers) else 0
            return value or default

        if final == "m":
            codes = body.split(";") if body else ["0"]
            if codes[0] in ("", "0"):
                codes, self._style = codes[1:], ""
            if codes:
                self._style = ";".join(filter(None, [self._style, *codes]))
        elif final in "Hf":
            self.row = min(self.rows - 1, arg(0) - 1)
            self.column = min(self.columns - 1, arg(1) - 1)
        elif final == "A":
            self.row = max(0, self.row - arg(0))
        elif final == "B":
            self.row = min(self.rows - 1, self.row + arg(0))
        elif final == "C":
            self.column = min(self.columns - 1, self.column + arg(0))
        elif final == "D":
            self.column = max(0, self.column - arg(0))
        elif final == "G":
            self.column = min(self.columns - 1, arg(0) - 1)
        elif final == "d":
            self.row = min(self.rows - 1, arg(0) - 1)
        elif final == "J":
            self._erase_display(numbers[0])
        elif final == "K":
            self._erase_line(numbers[0])
        elif final == "X":
            line = self.grid[self.row]
            for col in range(self.column, min(self.columns, self.column + arg(0))):
                line[col] = " "

    def _erase_line(self, mode: int) -> None:
        line = self.grid[self.row]
        span = {0: range(self.column, self.columns), 1: range(0, self.column + 1)}
        for col in span.get(mode, range(self.columns)):
            line[col] = " "

    def _erase_display(self, mode: int) -> None:
        if mode == 0:
            self._erase_line(0)
            rows = range(self.row + 1, self.rows)
        elif mode == 1:
            self._erase_line(1)
            rows = range(0, self.row)
        else:
            rows = range(self.rows)
        for row in rows:
            self.grid[row] = [" "] * self.columns

    def reversed_text(self, needle: str) -> bool | None:
        """Whether ``needle`` (its first occurrence) is drawn in reverse video (SGR 7), as
        Textual draws the focused button's label; None if it is not on screen."""
        for row, line in enumerate(self.lines()):
            column = line.find(needle)
            if column >= 0:
                return "7" in self.styles[row][column].split(";")
        return None

    def lines(self) -> list[str]:
        return ["".join(line).rstrip() for line in self.grid]

    def text(self) -> str:
        """The screen; while the app draws a synchronized frame, the last whole one."""
        lines = self._frame if self.synchronized and self._frame is not None else self.lines()
        return "\n".join(lines)


class Terminal:
    """A program on the slave side of a pty of ``rows`` x ``columns``; we hold the master."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        rows: int = 24,
        columns: int = 80,
    ) -> None:
        self.screen = Screen(rows, columns)
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(
            list(command),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # the program closed the terminal
            return False
        self.screen.feed(data)
        while self.screen.replies:
            os.write(self.master, self.screen.replies.pop(0))
        return bool(data)

    def text(self) -> str:
        return self.screen.text()

    def wait_for(self, condition: Callable[[str], object], what: str, timeout: float = 10.0) -> str:
        """Read output until ``condition(screen text)`` holds; the screen text then."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if condition(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{text}")
            if self.process.poll() is not None and not self._read(0.05):
                raise AssertionError(f"the program exited waiting for {what}:\n{text}")
            self._read(0.05)

    def wait_text(self, needle: str, timeout: float = 10.0) -> str:
        return self.wait_for(lambda text: needle in text, repr(needle), timeout)

    def send(self, *keys: str) -> None:
        """Keys by name (``KEYS``) or literal text; a literal string goes in one write, as a
        barcode scanner types it."""
        os.write(self.master, "".join(KEYS.get(key, key) for key in keys).encode())

    def close(self, timeout: float = 10.0) -> int | None:
        """Wait for the program to end (draining its output), kill it after ``timeout``."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.05)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            os.close(self.master)
        return self.process.returncode
