"""Personal data in qbXML replaced by seeded fake values, the same fake for the same value
everywhere (a customer's name in a query answer and in a later request stay one name)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape

from faker import Faker
from lxml import etree

from harness.capture.company import parse_qbxml

#: Elements whose text is a person's or a business's details, by what replaces them.
PERSONAL_FIELDS: dict[str, str] = {
    **dict.fromkeys(("FirstName", "LastName", "MiddleName", "Contact", "AltContact"), "name"),
    **dict.fromkeys(("Email", "Cc"), "email"),
    **dict.fromkeys(("Phone", "AltPhone", "Fax", "Mobile", "Pager"), "phone"),
    **dict.fromkeys(("Addr1", "Addr2", "Addr3", "Addr4", "Addr5"), "street"),
    "City": "city",
    "PostalCode": "postcode",
    "CompanyName": "company",
    "Notes": "text",
}
#: Name elements that name a customer, vendor or employee (an item's name is not personal).
ENTITY_PARENTS = {
    f"{kind}{suffix}"
    for kind in ("Customer", "Vendor", "Employee")
    for suffix in ("Ret", "Add", "Mod")
} | {"CustomerRef", "VendorRef", "EntityRef", "PayeeEntityRef"}


class PersonalData:
    """Collects personal values from qbXML messages, then rewrites any text with fakes."""

    def __init__(self, seed: int = 0) -> None:
        self._faker = Faker("en_US")
        self._faker.seed_instance(seed)
        self.replacements: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        self._makers: dict[str, Callable[[], str]] = {
            "name": self._faker.name,
            "email": self._faker.email,
            "phone": self._faker.phone_number,
            "street": self._faker.street_address,
            "city": self._faker.city,
            "postcode": self._faker.postcode,
            "company": self._faker.company,
            "text": lambda: self._faker.sentence(nb_words=4),
        }

    def collect(self, messages: Iterable[str | None]) -> None:
        for text in messages:
            root = parse_qbxml(text)
            if root is None:
                continue
            for element in root.iter():
                self._collect_element(element)

    def _collect_element(self, element: etree._Element) -> None:
        value = (element.text or "").strip()
        if not value or not isinstance(element.tag, str):
            return
        parent = element.getparent()
        if element.tag in PERSONAL_FIELDS:
            self._fake(value, PERSONAL_FIELDS[element.tag])
        elif element.tag in ("Name", "FullName") and _names_an_entity(parent):
            parts = value.split(":")  # a sub-customer's FullName: "Parent:Job"
            for part in parts:
                self._fake(part, "company")
            if len(parts) > 1:
                self.replacements.setdefault(value, self.name(value))

    def _fake(self, value: str, kind: str) -> None:
        # QuickBooks matches names ignoring case (QBD-02): "acme" and "Acme" are one name,
        # so they get one fake.
        if value.casefold() not in self._folded:
            fake = self._makers[kind]()
            while fake in self.replacements.values():
                fake = self._makers[kind]()
            self._folded[value.casefold()] = fake
        self.replacements.setdefault(value, _same_case(value, self._folded[value.casefold()]))

    def rewrite(self, text: str | None) -> str | None:
        """``text`` with every collected value replaced where it is a whole element's text
        or quoted in a status message (3100 names the duplicate: 'The name "X" ...')."""
        if not text:
            return text
        for real in sorted(self.replacements, key=len, reverse=True):
            old, new = escape(real), escape(self.replacements[real])
            for left, right in ((">", "<"), ("&quot;", "&quot;"), ('"', '"')):
                text = text.replace(f"{left}{old}{right}", f"{left}{new}{right}")
        return text

    def name(self, value: str) -> str:
        """A customer's or vendor's name (``Parent:Job`` part by part) as rewritten."""
        return ":".join(self.replacements.get(part, part) for part in value.split(":"))


def _same_case(real: str, fake: str) -> str:
    if real.islower():
        return fake.lower()
    if real.isupper():
        return fake.upper()
    return fake


def _names_an_entity(parent: etree._Element | None) -> bool:
    """A Name/FullName under a customer, vendor or employee, or a reference to one; a
    ParentRef only when it is a customer's (an item's parent is not personal)."""
    if parent is None:
        return False
    if parent.tag in ENTITY_PARENTS:
        return True
    owner = parent.getparent()
    return parent.tag == "ParentRef" and owner is not None and owner.tag in ENTITY_PARENTS
