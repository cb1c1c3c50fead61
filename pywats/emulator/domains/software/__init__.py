"""Software distribution: packages of test sequences, limits and drivers, their release
workflow (Draft -> Pending -> Released -> Revoked), files uploaded as zips, file attributes,
tags and virtual folders. Serves every public /api/Software operation of the spec."""

from __future__ import annotations

from starlette.routing import Route

from ...plugin import Domain
from . import packages, upload
from .schema import SCHEMA
from .seed import seed

_S = "/api/Software"

DOMAIN = Domain(
    name="software",
    schema=SCHEMA,
    seed=seed,
    routes=[
        Route(f"{_S}/Packages", packages.get_packages, methods=["GET"]),
        Route(f"{_S}/Package", packages.post_package, methods=["POST"]),
        Route(f"{_S}/Package/FileAttribute/{{id}}", packages.post_file_attribute,
              methods=["POST"]),
        Route(f"{_S}/Package/UploadZip/{{id}}", upload.upload_zip, methods=["POST"]),
        Route(f"{_S}/Package/{{id}}", packages.get_package_by_id, methods=["GET"]),
        Route(f"{_S}/Package/{{id}}", packages.put_package, methods=["PUT"]),
        Route(f"{_S}/Package/{{id}}", packages.delete_package, methods=["DELETE"]),
        Route(f"{_S}/PackageByName", packages.get_package_by_name, methods=["GET"]),
        Route(f"{_S}/PackageByName", packages.delete_package_by_name, methods=["DELETE"]),
        Route(f"{_S}/PackageFiles/{{id}}", packages.get_package_files, methods=["GET"]),
        Route(f"{_S}/PackagesByTag", packages.get_packages_by_tag, methods=["GET"]),
        Route(f"{_S}/PackageStatus/{{id}}", packages.post_package_status, methods=["POST"]),
        Route(f"{_S}/VirtualFolders", packages.get_virtual_folders, methods=["GET"]),
    ],
)
