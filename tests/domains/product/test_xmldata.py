"""xmlData tags and WSBF BOM documents: written and read back without loss."""

from __future__ import annotations

import pytest

from pywats import WATSValidationError
from pywats.domains.product import Bom, BomComponent
from pywats.domains.product.xmldata import bom_from_xml, bom_to_wsbf, xml_data_with_tags


def test_wsbf_round_trip() -> None:
    bom = Bom(
        part_number="100100",
        revision="1.0",
        description="Product & <description>",
        components=[
            BomComponent(
                number="100200", revision="1.0", quantity=2, reference="A30;A31", function_block="A"
            ),
            BomComponent(number="100201"),
        ],
    )
    document = bom_to_wsbf(bom)
    assert document.startswith('<BOM xmlns="http://wats.virinco.com/schemas/WATS/wsbf"')
    assert 'Partnumber="100100"' in document
    assert bom_from_xml(document) == bom


def test_bom_inside_xml_data_is_found() -> None:
    xml = (
        '<Root><Site Value="Oslo"/>'
        '<wsbf:BOM xmlns:wsbf="http://wats.virinco.com/schemas/WATS/wsbf" '
        'Partnumber="P" Revision="A"><wsbf:Component Number="C1" Qty="3"/></wsbf:BOM></Root>'
    )
    bom = bom_from_xml(xml)
    assert bom is not None and bom.components[0].quantity == 3
    assert bom_from_xml('<Root><Site Value="Oslo"/></Root>') is None
    assert bom_from_xml(None) is None


def test_tags_replace_only_tags() -> None:
    existing = '<Root><Site Value="Oslo"/><Notes>keep me</Notes></Root>'
    updated = xml_data_with_tags(existing, {"Owner": "NPI", "Empty": None})
    assert "Site" not in updated and "keep me" in updated
    assert 'Owner Value="NPI"' in updated and 'Empty Value=""' in updated
    assert xml_data_with_tags(None, {"A": "1"}) == '<Root><A Value="1" /></Root>'


@pytest.mark.parametrize("text", ["<Root>", '<!DOCTYPE r [<!ENTITY a "b">]><Root/>'])
def test_bad_xml_is_a_validation_error(text: str) -> None:
    with pytest.raises(WATSValidationError):
        xml_data_with_tags(text, {})
