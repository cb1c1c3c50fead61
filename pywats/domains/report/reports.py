"""The two report models, ``UUTReport`` (test) and ``UURReport`` (repair)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from ._base import Number, ResultCode, WSJFModel
from .common import AdditionalData, BinaryData
from .header import Asset, AssetStats, MiscInfo, SubUnit
from .steps import Step
from .timefmt import parse_wats_datetime

__all__ = ["ReferencedByUUR", "Report", "UURInfo", "UURReport", "UUTInfo", "UUTReport"]


class ReferencedByUUR(WSJFModel):
    id: str | None = Field(default=None, alias="id")
    start: str | None = Field(default=None, alias="start")


class UUTInfo(WSJFModel):
    """The ``uut`` object: header data only tests have. ``user`` is the operator."""

    exec_time: Number | None = Field(default=None, alias="execTime")
    exec_time_format: str | None = Field(default=None, alias="execTimeFormat")
    test_socket_index: int | None = Field(default=None, alias="testSocketIndex")
    test_socket_index_format: str | None = Field(default=None, alias="testSocketIndexFormat")
    batch_sn: str | None = Field(default=None, alias="batchSN")
    comment: str | None = Field(default=None, alias="comment")
    error_code: int | None = Field(default=None, alias="errorCode")
    error_code_format: str | None = Field(default=None, alias="errorCodeFormat")
    error_message: str | None = Field(default=None, alias="errorMessage")
    fixture_id: str | None = Field(default=None, alias="fixtureId")
    user: str | None = Field(default=None, alias="user")
    batch_fail_count: int | None = Field(default=None, alias="batchFailCount")
    batch_fail_count_format: str | None = Field(default=None, alias="batchFailCountFormat")
    batch_loop_index: int | None = Field(default=None, alias="batchLoopIndex")
    batch_loop_index_format: str | None = Field(default=None, alias="batchLoopIndexFormat")
    step_id_caused_uut_failure: int | None = Field(default=None, alias="stepIdCausedUUTFailure")
    ref_uurs: list[ReferencedByUUR] | None = Field(default=None, alias="refUURs")


class UURInfo(WSJFModel):
    """The ``uur`` object. ``process_code`` here is the *test* operation that failed; the
    repair operation is the report's own ``process_code``."""

    comment: str | None = Field(default=None, alias="comment")
    user: str | None = Field(default=None, alias="user")
    process_code: int | None = Field(default=None, alias="processCode")
    process_code_format: str | None = Field(default=None, alias="processCodeFormat")
    process_name: str | None = Field(default=None, alias="processName")
    ref_uut: str | None = Field(default=None, alias="refUUT")
    confirm_date: str | None = Field(default=None, alias="confirmDate")
    finalize_date: str | None = Field(default=None, alias="finalizeDate")
    exec_time: Number | None = Field(default=None, alias="execTime")
    parent: str | None = Field(default=None, alias="parent")
    children: list[str] | None = Field(default=None, alias="children")


class _ReportHead(WSJFModel):
    """Header keys that come before the type-specific ones on the wire."""

    type: str | None = Field(default=None, alias="type")
    id: str | None = Field(default=None, alias="id")
    part_number: str | None = Field(default=None, alias="pn")
    serial_number: str | None = Field(default=None, alias="sn")
    revision: str | None = Field(default=None, alias="rev")
    product_name: str | None = Field(default=None, alias="productName")
    process_code: int | None = Field(default=None, alias="processCode")
    process_code_format: str | None = Field(default=None, alias="processCodeFormat")
    process_name: str | None = Field(default=None, alias="processName")
    result: ResultCode | None = Field(default=None, alias="result")
    machine_name: str | None = Field(default=None, alias="machineName")
    location: str | None = Field(default=None, alias="location")
    purpose: str | None = Field(default=None, alias="purpose")
    origin: str | None = Field(default=None, alias="origin")
    start: str | None = Field(default=None, alias="start")
    start_utc: str | None = Field(default=None, alias="startUTC")

    @property
    def start_datetime(self) -> datetime | None:
        return parse_wats_datetime(self.start) if self.start else None

    def _mark_type(self, code: str) -> None:
        # A report built in code must still say what it is on the wire.
        if "type" not in self.model_fields_set:
            self.type = code


class _ReportTail(WSJFModel):
    """Header lists that come after the type-specific keys on the wire."""

    misc_infos: list[MiscInfo] | None = Field(default=None, alias="miscInfos")
    sub_units: list[SubUnit] | None = Field(default=None, alias="subUnits")
    assets: list[Asset] | None = Field(default=None, alias="assets")
    asset_stats: list[AssetStats] | None = Field(default=None, alias="assetStats")
    binary_data: list[BinaryData] | None = Field(default=None, alias="binaryData")
    additional_data: list[AdditionalData] | None = Field(default=None, alias="additionalData")


class _UUTFields(_ReportHead):
    root: Step | None = Field(default=None, alias="root")
    uut: UUTInfo | None = Field(default=None, alias="uut")


class _UURFields(_ReportHead):
    uur: UURInfo | None = Field(default=None, alias="uur")


# Bases are listed tail first: pydantic collects fields from the last base to the first, so
# fields come out head, type-specific, tail -- the server's key order.
class UUTReport(_ReportTail, _UUTFields):
    """A test report (``type`` "T"): header, ``uut`` data and the ``root`` step tree."""

    type: Literal["T"] = Field(default="T", alias="type")

    def model_post_init(self, context: Any, /) -> None:
        self._mark_type("T")

    def walk(self) -> list[tuple[str, Step]]:
        """Every step with its path, in id order (empty when there is no root)."""
        return list(self.root.walk()) if self.root is not None else []


class UURReport(_ReportTail, _UURFields):
    """A repair report (``type`` "R"): header, ``uur`` data, units with their failures."""

    type: Literal["R"] = Field(default="R", alias="type")

    def model_post_init(self, context: Any, /) -> None:
        self._mark_type("R")

    def main_unit(self) -> SubUnit | None:
        """The sub unit with ``idx`` 0, which stands for the repaired unit itself."""
        return next((unit for unit in self.sub_units or () if unit.idx == 0), None)


Report = UUTReport | UURReport
