"""The closed code lists of WSJF.

Model fields that carry these codes are typed ``Enum | str``: a known code becomes the enum
member, anything else stays the exact string it was read as, so a report written by another
client (``"IgnoreCase"``, a future status letter) survives a round trip unchanged.
Every enum is a ``StrEnum``, so members compare equal to their codes (``StepStatus.PASSED ==
"P"``).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ChartType",
    "MeasurementStatus",
    "NumericCompOp",
    "ReportResult",
    "ReportType",
    "StepGroup",
    "StepStatus",
    "StepType",
    "StringCompOp",
]


class ReportType(StrEnum):
    UUT = "T"
    UUR = "R"


class ReportResult(StrEnum):
    PASSED = "P"
    FAILED = "F"
    ERROR = "E"
    TERMINATED = "T"


class StepStatus(StrEnum):
    PASSED = "P"
    FAILED = "F"
    DONE = "D"
    SKIPPED = "S"
    ERROR = "E"
    TERMINATED = "T"
    UNKNOWN = "U"


class MeasurementStatus(StrEnum):
    PASSED = "P"
    FAILED = "F"
    SKIPPED = "S"


class StepGroup(StrEnum):
    SETUP = "S"
    MAIN = "M"
    CLEANUP = "C"


class NumericCompOp(StrEnum):
    """Numeric comparison. Single-limit operators compare against ``lowLimit``."""

    LOG = "LOG"
    EQ = "EQ"
    NE = "NE"
    GT = "GT"
    GE = "GE"
    LT = "LT"
    LE = "LE"
    GTLT = "GTLT"
    GTLE = "GTLE"
    GELT = "GELT"
    GELE = "GELE"
    LTGT = "LTGT"
    LTGE = "LTGE"
    LEGT = "LEGT"
    LEGE = "LEGE"

    @property
    def limit_count(self) -> int:
        """How many limits the operator uses: 0 (LOG), 1 (lowLimit) or 2 (both)."""
        if self is NumericCompOp.LOG:
            return 0
        return 2 if len(self.value) == 4 else 1


class StringCompOp(StrEnum):
    """String comparison. The server stores these case-insensitively (``IgnoreCase`` occurs)."""

    LOG = "LOG"
    EQ = "EQ"
    NE = "NE"
    CASESENSIT = "CASESENSIT"
    IGNORECASE = "IGNORECASE"

    @classmethod
    def lookup(cls, code: str) -> StringCompOp | None:
        """The operator for ``code`` ignoring case, or None when it is not a string operator."""
        try:
            return cls(code.upper())
        except ValueError:
            return None


class ChartType(StrEnum):
    LINE = "Line"
    LINE_LOG_XY = "LineLogXY"
    LINE_LOG_X = "LineLogX"
    LINE_LOG_Y = "LineLogY"


class StepType(StrEnum):
    """Step types the builder writes and viewers know. ``stepType`` itself is free text."""

    SEQUENCE_CALL = "SequenceCall"
    NUMERIC = "ET_NLT"
    MULTI_NUMERIC = "ET_MNLT"
    PASS_FAIL = "ET_PFT"  # noqa: S105 - a step type, not a password
    MULTI_PASS_FAIL = "ET_MPFT"  # noqa: S105
    STRING = "ET_SVT"
    MULTI_STRING = "ET_MSVT"
    CHART = "WATS_XYGMNLT"
    ACTION = "Action"
    MESSAGE_POPUP = "MessagePopup"
    CALL_EXECUTABLE = "CallExecutable"
    LABEL = "Label"
    GOTO = "Goto"
