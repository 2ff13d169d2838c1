"""What a downloaded Word form belongs to, carried in the document's custom properties.

The properties name the return, its case, its agency and its tool version, with a fingerprint
(an HMAC of them under the secret key) so that an upload can say exactly which return it is
for and that nobody changed them. Word and LibreOffice both keep custom properties when they
save a document (File > Properties > Custom)."""

import json
from dataclasses import dataclass

from django.utils.crypto import constant_time_compare, salted_hmac
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from caseaudit.audits.models import Return

CUSTOM_PROPERTIES_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
PROPERTIES_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
TYPES_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# The format id Office gives every user-defined property.
USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PREFIX = "CaseAudit"
NAMES = ("Return", "Case", "Agency", "Tool", "ToolVersion", "Fingerprint")
SALT = "caseaudit.exchange.word-form"
SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


class TamperedForm(Exception):
    """The form carries Case Audit properties, but some are missing or were changed."""


@dataclass(frozen=True)
class FormIdentity:
    return_id: int
    case_identifier: str
    agency_id: int
    tool_key: str
    tool_version: int

    @classmethod
    def of(cls, ret: Return) -> "FormIdentity":
        return cls(
            ret.pk,
            ret.case.case_identifier,
            ret.agency_id,
            ret.tool_version.tool_key,
            ret.tool_version.version,
        )

    def fingerprint(self) -> str:
        message = json.dumps(
            [
                self.return_id,
                self.case_identifier,
                self.agency_id,
                self.tool_key,
                self.tool_version,
            ]
        )
        return salted_hmac(SALT, message, algorithm="sha256").hexdigest()

    def properties(self) -> dict[str, str]:
        values = (
            self.return_id,
            self.case_identifier,
            self.agency_id,
            self.tool_key,
            self.tool_version,
            self.fingerprint(),
        )
        return {PREFIX + name: str(value) for name, value in zip(NAMES, values, strict=True)}


def add_custom_properties(document: Document, properties: dict[str, str]) -> None:
    """Write docProps/custom.xml: python-docx reads and writes only the core properties."""
    root = etree.Element(
        f"{{{PROPERTIES_NAMESPACE}}}Properties",
        nsmap={
            None: PROPERTIES_NAMESPACE,
            "vt": TYPES_NAMESPACE,
        },
    )
    for pid, (name, value) in enumerate(properties.items(), start=2):
        item = etree.SubElement(
            root,
            f"{{{PROPERTIES_NAMESPACE}}}property",
            fmtid=USER_DEFINED,
            pid=str(pid),
            name=name,
        )
        etree.SubElement(item, f"{{{TYPES_NAMESPACE}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPERTIES_TYPE, blob, package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def read_custom_properties(document: Document) -> dict[str, str]:
    package = document.part.package
    for relationship in package.rels.values():
        if relationship.reltype != RELATIONSHIP_TYPE.CUSTOM_PROPERTIES:
            continue
        root = etree.fromstring(relationship.target_part.blob, SAFE_PARSER)
        found = {}
        for item in root.iter(f"{{{PROPERTIES_NAMESPACE}}}property"):
            name = item.get("name") or ""
            found[name] = "".join(item.itertext()).strip()
        return found
    return {}


def identity_of(document: Document) -> FormIdentity | None:
    """The form's identity; None for a form with no Case Audit properties (an older form)."""
    properties = {
        name: value
        for name, value in read_custom_properties(document).items()
        if name.startswith(PREFIX)
    }
    if not properties:
        return None
    try:
        values = [properties[PREFIX + name] for name in NAMES]
        identity = FormIdentity(
            int(values[0]), values[1], int(values[2]), values[3], int(values[4])
        )
    except (KeyError, ValueError):
        raise TamperedForm from None
    if not constant_time_compare(identity.fingerprint(), values[5]):
        raise TamperedForm
    return identity
