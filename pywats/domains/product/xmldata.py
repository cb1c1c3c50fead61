"""The two XML documents products carry: ``xmlData`` (tags as ``<Root><Key Value=".."/>``)
and WSBF, the WATS Standard BOM Format, which the server also keeps inside ``xmlData``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from pywats.errors import WATSValidationError

from .models import Bom, BomComponent

__all__ = ["WSBF_NAMESPACE", "bom_from_xml", "bom_to_wsbf", "xml_data_with_tags"]

WSBF_NAMESPACE = "http://wats.virinco.com/schemas/WATS/wsbf"
_VALUE = "Value"
# Inside xmlData a BOM keeps its namespace under a prefix (Root itself has none).
ET.register_namespace("wsbf", WSBF_NAMESPACE)


def _parse(text: str, field: str) -> ET.Element:
    # No DTDs: they are the door to entity-expansion and external-entity attacks.
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise WATSValidationError("XML with a DOCTYPE or ENTITY is not accepted", field=field)
    try:
        return ET.fromstring(text)  # noqa: S314 - DTDs refused above
    except ET.ParseError as exc:
        raise WATSValidationError(f"is not well-formed XML: {exc}", field=field) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xml_data_with_tags(existing: str | None, tags: Mapping[str, str | None]) -> str:
    """``existing`` xmlData with its key/value tags replaced by ``tags``.

    Other content of ``<Root>`` (a WSBF BOM, for instance) is kept as it was.
    """
    root = _parse(existing, "xml_data") if existing and existing.strip() else ET.Element("Root")
    if _local(root.tag) != "Root":
        wrapper = ET.Element("Root")
        wrapper.append(root)
        root = wrapper
    for child in list(root):
        if _VALUE in child.attrib and "}" not in child.tag:
            root.remove(child)
    for key, value in tags.items():
        ET.SubElement(root, key, {_VALUE: "" if value is None else str(value)})
    return ET.tostring(root, encoding="unicode")


def bom_to_wsbf(bom: Bom) -> str:
    """The WSBF XML document for ``bom``."""
    # The namespace is written as a plain xmlns attribute: ElementTree's default_namespace
    # option cannot serialise the format's un-namespaced attributes.
    root = ET.Element(
        "BOM",
        {"xmlns": WSBF_NAMESPACE, "Partnumber": bom.part_number, "Revision": bom.revision},
    )
    if bom.description:
        root.set("Desc", bom.description)
    for component in bom.components:
        attrs = {"Number": component.number, "Qty": str(component.quantity)}
        optional = {
            "Rev": component.revision,
            "Desc": component.description,
            "Ref": component.reference,
            "FunctionBlock": component.function_block,
        }
        attrs.update({name: value for name, value in optional.items() if value})
        ET.SubElement(root, "Component", attrs)
    return ET.tostring(root, encoding="unicode")


def bom_from_xml(text: str | None) -> Bom | None:
    """The WSBF BOM in an xmlData document (or a bare WSBF document); None if it has none."""
    if not text or not text.strip():
        return None
    root = _parse(text, "xml_data")
    element = root if _local(root.tag) == "BOM" else None
    if element is None:
        element = next((e for e in root.iter() if _local(e.tag) == "BOM"), None)
    if element is None:
        return None
    components = [
        BomComponent(
            number=item.get("Number", ""),
            revision=item.get("Rev"),
            quantity=int(item.get("Qty") or 1),
            description=item.get("Desc"),
            reference=item.get("Ref"),
            function_block=item.get("FunctionBlock"),
        )
        for item in element
        if _local(item.tag) == "Component"
    ]
    return Bom(
        part_number=element.get("Partnumber", ""),
        revision=element.get("Revision", ""),
        description=element.get("Desc"),
        components=components,
    )
