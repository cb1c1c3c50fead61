"""The base every WSJF model shares, and the field types that keep a round trip lossless.

Losslessness rests on three rules:

* every field is optional with a ``None`` default, and output uses ``exclude_unset``: a key
  absent from the input stays absent, a key given as ``null`` comes back as ``null``;
* unknown keys are kept as extras (``extra="allow"``) and written back as read;
* values keep their JSON type: dates stay the exact strings given (Python's datetime would cut
  the server's 7-digit fractions), doubles accept ints without turning them into floats, and
  code fields fall back to the raw string when a code is not in the enum.
"""

from __future__ import annotations

from typing import Annotated, TypeVar

from pydantic import ConfigDict, Field

from pywats.models import WATSModel

from .enums import (
    ChartType,
    MeasurementStatus,
    NumericCompOp,
    ReportResult,
    StepGroup,
    StepStatus,
    StringCompOp,
)

__all__ = [
    "ChartTypeCode",
    "CompOpCode",
    "GroupCode",
    "MeasStatusCode",
    "Number",
    "ResultCode",
    "StatusCode",
    "StringCompOpCode",
    "WSJFModel",
    "model_with",
]


class WSJFModel(WATSModel):
    """Base of all WSJF models. Every field names its alias explicitly, because WSJF spells
    many keys in ways camelCase would not guess (``causedUUTFailure``, ``startUTC``, ``xdata``).
    """

    model_config = ConfigDict(
        # NaN/Infinity would otherwise be written as null, silently changing the data.
        ser_json_inf_nan="constants",
        protected_namespaces=(),
    )


M = TypeVar("M", bound=WSJFModel)

# A JSON double. ``int`` stays in the union so that ``10`` is not rewritten as ``10.0``.
Number = float | int

# Known codes become enum members; anything else is kept verbatim (left_to_right tries the
# enum first and falls back to the plain string).
StatusCode = Annotated[StepStatus | str, Field(union_mode="left_to_right")]
MeasStatusCode = Annotated[MeasurementStatus | str, Field(union_mode="left_to_right")]
ResultCode = Annotated[ReportResult | str, Field(union_mode="left_to_right")]
GroupCode = Annotated[StepGroup | str, Field(union_mode="left_to_right")]
CompOpCode = Annotated[NumericCompOp | str, Field(union_mode="left_to_right")]
StringCompOpCode = Annotated[StringCompOp | str, Field(union_mode="left_to_right")]
ChartTypeCode = Annotated[ChartType | str, Field(union_mode="left_to_right")]


def model_with(model: type[M], **fields: object) -> M:
    """``model`` holding only the fields given a value: None means "leave the key out".

    Builders use this so that what they set is exactly what is written (``exclude_unset``).
    """
    return model.model_validate({key: value for key, value in fields.items() if value is not None})
