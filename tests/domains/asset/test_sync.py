"""SyncAssetService: every operation through the blocking client (issue 14, acceptance 2)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pywats import SyncWATS
from pywats.domains.asset import AlarmState, AssetLogType, AssetState
from pywats.errors import WATSValidationError

from .conftest import NOW


def test_every_sync_operation(sync_wats: SyncWATS) -> None:
    asset = sync_wats.asset
    kind = asset.create_type(
        "Sync fixture",
        running_count_limit=10,
        calibration_interval=100,
        warning_threshold=80,
        alarm_threshold=100,
    )
    assert kind.type_id is not None
    assert asset.get_type("Sync fixture") == kind
    kind.maintenance_interval = 50
    assert asset.save_type(kind).maintenance_interval == 50
    assert "Sync fixture" in [t.type_name for t in asset.get_types()]

    top = asset.create_asset("SYNC-1", kind.type_id, location="Lab")
    asset.create_asset("SYNC-2", kind.type_id, parent="SYNC-1")
    asset.create_asset("SYNC-3", kind.type_id)
    asset.add_child_asset("SYNC-2", "SYNC-3")
    assert [a.serial_number for a in asset.get_sub_assets("SYNC-1")] == ["SYNC-2", "SYNC-3"]
    assert [a.serial_number for a in asset.get_sub_assets("SYNC-1", 1)] == ["SYNC-2"]
    top.description = "Top of the tree"
    assert asset.save_asset(top).description == "Top of the tree"
    assert asset.get_asset("SYNC-1") is not None
    assert asset.require_asset("SYNC-1").asset_id == top.asset_id
    assert [
        a.serial_number
        for a in asset.get_assets("startswith(serialNumber,'SYNC-')", orderby="serialNumber")
    ] == ["SYNC-1", "SYNC-2", "SYNC-3"]

    assert asset.increment_count("SYNC-1", 8, increment_children=True).running_count == 8
    assert asset.get_status("SYNC-3").alarm_state is AlarmState.WARNING
    assert asset.count_to_total("SYNC-1", 10).total_count == 10
    assert asset.get_status("SYNC-1").alarm_state is AlarmState.ALARM
    assert "SYNC-1" in [o.asset.serial_number for o in asset.assets_in_alarm()]
    assert "SYNC-2" in [o.asset.serial_number for o in asset.assets_in_warning()]
    assert asset.reset_running_count("SYNC-1", "new probes").running_count == 0
    assert asset.set_state("SYNC-1", AssetState.IN_STORAGE).state == AssetState.IN_STORAGE
    calibrated = asset.record_calibration("SYNC-1", NOW - timedelta(days=95))
    assert calibrated.last_calibration_date == NOW - timedelta(days=95)
    assert "SYNC-1" in [o.asset.serial_number for o in asset.assets_due(7)]
    assert len(asset.get_overview("startswith(serialNumber,'SYNC-')")) == 3
    assert asset.record_maintenance("SYNC-1", comment="cleaned").last_maintenance_date == NOW
    assert asset.add_message("SYNC-1", "hello").comment == "hello"
    kinds = [entry.type for entry in asset.get_log("SYNC-1")]
    assert kinds == [
        AssetLogType.MESSAGE,
        AssetLogType.MAINTENANCE,
        AssetLogType.CALIBRATION,
        AssetLogType.STATE_CHANGE,
        AssetLogType.RESET_COUNT,
        AssetLogType.UPDATE,
        AssetLogType.REGISTER,
    ]

    asset.upload_file("SYNC-1", "cert.txt", b"certificate")
    assert asset.list_files("SYNC-1") == ["cert.txt"]
    assert asset.download_file("SYNC-1", "cert.txt") == b"certificate"
    asset.delete_files("SYNC-1", ["cert.txt"])
    assert asset.list_files("SYNC-1") == []

    asset.delete_asset("SYNC-1")
    assert asset.get_asset("SYNC-1") is None
    with pytest.raises(WATSValidationError):
        asset.assets_due(-3)
