"""Header objects: misc infos, sub units with repair failures, assets and asset statistics."""

from __future__ import annotations

from pydantic import Field

from ._base import Number, WSJFModel
from .common import BinaryData

__all__ = ["Asset", "AssetStats", "Failure", "MiscInfo", "SubUnit"]


class MiscInfo(WSJFModel):
    """A labelled value. ``numeric`` is an integer; ``id`` is only used on repair reports."""

    description: str | None = Field(default=None, alias="description")
    typedef: str | None = Field(default=None, alias="typedef")
    text: str | None = Field(default=None, alias="text")
    numeric: int | None = Field(default=None, alias="numeric")
    numeric_format: str | None = Field(default=None, alias="numericFormat")
    id: str | None = Field(default=None, alias="id")


class Failure(WSJFModel):
    """A failure found during repair, on the unit where it was found.

    ``ref_step_id`` is the ``id`` of the step in the referenced test report that uncovered it.
    """

    art_number: str | None = Field(default=None, alias="artNumber")
    art_rev: str | None = Field(default=None, alias="artRev")
    art_vendor: str | None = Field(default=None, alias="artVendor")
    art_description: str | None = Field(default=None, alias="artDescription")
    category: str | None = Field(default=None, alias="category")
    code: str | None = Field(default=None, alias="code")
    comment: str | None = Field(default=None, alias="comment")
    com_ref: str | None = Field(default=None, alias="comRef")
    func_block: str | None = Field(default=None, alias="funcBlock")
    ref_step_id: int | None = Field(default=None, alias="refStepId")
    ref_step_name: str | None = Field(default=None, alias="refStepName")
    attachments: list[BinaryData] | None = Field(default=None, alias="attachments")


class SubUnit(WSJFModel):
    """A sub-assembly. In a repair, ``idx`` 0 is the main unit and ``parent_idx`` nests."""

    part_type: str | None = Field(default=None, alias="partType")
    part_number: str | None = Field(default=None, alias="pn")
    revision: str | None = Field(default=None, alias="rev")
    serial_number: str | None = Field(default=None, alias="sn")
    idx: int | None = Field(default=None, alias="idx")
    parent_idx: int | None = Field(default=None, alias="parentIdx")
    position: int | None = Field(default=None, alias="position")
    replaced_idx: int | None = Field(default=None, alias="replacedIdx")
    failures: list[Failure] | None = Field(default=None, alias="failures")


class Asset(WSJFModel):
    """Test equipment used by the test."""

    asset_sn: str | None = Field(default=None, alias="assetSN")
    usage_count: int | None = Field(default=None, alias="usageCount")
    usage_count_format: str | None = Field(default=None, alias="usageCountFormat")


class AssetStats(WSJFModel):
    """Usage and calibration state of an asset, computed by the server on export."""

    asset_sn: str | None = Field(default=None, alias="assetSN")
    running_count: int | None = Field(default=None, alias="runningCount")
    running_count_exceeded: int | None = Field(default=None, alias="runningCountExceeded")
    total_count: int | None = Field(default=None, alias="totalCount")
    total_count_exceeded: int | None = Field(default=None, alias="totalCountExceeded")
    days_since_calibration: Number | None = Field(default=None, alias="daysSinceCalibration")
    is_days_since_calibration_unknown: bool | None = Field(
        default=None, alias="isDaysSinceCalibrationUnknown"
    )
    calibration_days_overdue: Number | None = Field(default=None, alias="calibrationDaysOverdue")
    days_since_maintenance: Number | None = Field(default=None, alias="daysSinceMaintenance")
    is_days_since_maintenance_unknown: bool | None = Field(
        default=None, alias="isDaysSinceMaintenanceUnknown"
    )
    maintenance_days_overdue: Number | None = Field(default=None, alias="maintenanceDaysOverdue")
    message: str | None = Field(default=None, alias="message")
