"""Data extensions: custom fields (OwnerID 0, shown in the QuickBooks UI) and private data
(OwnerID a GUID, seen only by applications that know it), as connectors attach them to
customers, vendors, employees, items and transactions (DataExtDefAdd/Query,
DataExtAdd/Mod/Del).

What the fake does, with its sources (Intuit's SDK reference as quoted by Conductor's
client library and Intuit's "Data extensions: custom fields and private data" page;
confidence medium unless said otherwise):

- A value needs a definition for that OwnerID and DataExtName (the two together are the
  extension's name, not case-sensitive) assigned to the object's type (``Item`` covers
  every item type); otherwise 3120 naming the DataExtName (the code is the fake's choice
  from Intuit's "object not found" status, unconfirmed).
- A string value longer than its type allows (STR255TYPE 255, STR1024TYPE 1024: the type
  names; "Must be STR255 type, (string, max 255 chars)" for custom fields) is 3070 naming
  DataExtValue, as every over-long string (the text form is confirmed, the limit medium).
  Values of the other types are kept as sent (unconfirmed).
- A custom field (OwnerID 0) must be STR255TYPE (Intuit's page); another type is 3210
  (code and text unconfirmed). A second definition of one name for one owner is 3100.
- DataExtAdd of a value the object already has is refused with 3200 (low: a public
  connector falls back to DataExtMod on 3200); DataExtMod or DataExtDel of a value it does
  not have is 3120 (low); DataExtMod cannot clear a value (use DataExtDel; Intuit's
  reference), an empty value is 3210 (text unconfirmed).
- DataExtAdd and DataExtMod modify the object: its TimeModified and EditSequence move
  (Intuit's reference); DataExtDel does too (unconfirmed).
- A query returns an object's data extensions only for the OwnerIDs it names (OwnerID 0:
  the custom fields), sorted by name (QQube's support pages: the SDK returns custom fields
  alphabetically; medium). The DataExtAddRs echoes the DataExtName as the request spelled
  it, queries show the definition's (a public test fixture of an InvoiceAdd connector,
  low).
- The company (OtherDataExtType Company, where applications keep their own settings as
  private data) holds values too; CompanyQuery returns them for the OwnerIDs it names.
  Transaction lines (TxnLineID) are not modeled (``NotModeledError``), nor is the
  4096-byte limit of private data per object.
"""

from __future__ import annotations

from typing import Any

from harness.fake_qbd.errors import (
    DataExtHasValue,
    InvalidFieldValue,
    InvalidReference,
    NameInUse,
    NoMatch,
    NotModeledError,
    ObjectNotFound,
    StringTooLong,
)
from harness.fake_qbd.models import LIST_OF_KIND, LIST_TITLES, Record, Ref
from harness.fake_qbd.store import TXN_KINDS, CompanyStore

#: The longest value of each string type (the type's name).
STRING_LIMITS = {"STR255TYPE": 255, "STR1024TYPE": 1024}
CUSTOM_FIELD_OWNER = "0"
#: Where a record keeps its values: DataExtID -> value.
VALUES = "_data_ext"


# --- definitions -------------------------------------------------------------------------


def data_ext_def_add(store: CompanyStore, data: dict[str, Any]) -> dict[str, Any]:
    owner, name = data["OwnerID"], str(data["DataExtName"]).strip()
    if any(_is(definition, owner, name) for definition in store.data_ext_defs):
        raise NameInUse(name)
    if owner == CUSTOM_FIELD_OWNER and data["DataExtType"] != "STR255TYPE":
        raise InvalidFieldValue(
            "DataExtType", data["DataExtType"], "A custom field must be of type STR255TYPE."
        )
    definition = {
        "OwnerID": owner,
        "DataExtID": len(store.data_ext_defs) + 1,
        "DataExtName": name,
        "DataExtType": data["DataExtType"],
        "AssignToObject": list(data.get("AssignToObject", [])),
        "DataExtListRequire": bool(data.get("DataExtListRequire", False)),
        "DataExtTxnRequire": bool(data.get("DataExtTxnRequire", False)),
        "DataExtFormatString": str(data.get("DataExtFormatString", "")),
    }
    store.data_ext_defs.append(definition)
    return definition


def data_ext_def_query(store: CompanyStore, query: dict[str, Any]) -> list[dict[str, Any]]:
    owners = query.get("OwnerID") or []
    objects = set(query.get("AssignToObject") or [])
    found = [
        d
        for d in store.data_ext_defs
        if (not owners or d["OwnerID"] in owners)
        and (not objects or objects.intersection(d["AssignToObject"]))
    ]
    if not found:
        raise NoMatch()
    return found


# --- values ------------------------------------------------------------------------------


def data_ext_add(store: CompanyStore, data: dict[str, Any]) -> dict[str, Any]:
    record, definition = _target(store, data)
    value = _checked_value(definition, data["DataExtValue"])
    if definition["DataExtID"] in _values(store, record):
        raise DataExtHasValue(definition["DataExtName"])
    _write(store, record, {**_values(store, record), definition["DataExtID"]: value})
    return _ret(definition, data["DataExtName"], value)


def data_ext_mod(store: CompanyStore, data: dict[str, Any]) -> dict[str, Any]:
    record, definition = _target(store, data)
    value = _checked_value(definition, data["DataExtValue"])
    if definition["DataExtID"] not in _values(store, record):
        raise ObjectNotFound(str(data["DataExtName"]))
    if not value:
        raise InvalidFieldValue(
            "DataExtValue", value, "DataExtMod cannot clear a data extension; use DataExtDel."
        )
    _write(store, record, {**_values(store, record), definition["DataExtID"]: value})
    return _ret(definition, data["DataExtName"], value)


def data_ext_del(store: CompanyStore, data: dict[str, Any]) -> dict[str, Any]:
    record, definition = _target(store, data)
    values = dict(_values(store, record))
    if values.pop(definition["DataExtID"], None) is None:
        raise ObjectNotFound(str(data["DataExtName"]))
    _write(store, record, values)
    target: dict[str, Any]
    if record is None:
        target = {"OtherDataExtType": "Company"}
    elif "ListDataExtType" in data:
        list_ref = Ref(LIST_OF_KIND[record.kind], record.id)
        target = {"ListDataExtType": data["ListDataExtType"], "ListObjRef": list_ref}
    else:
        target = {"TxnDataExtType": data["TxnDataExtType"], "TxnID": record.id}
    return {
        "OwnerID": definition["OwnerID"],
        "DataExtName": str(data["DataExtName"]).strip(),
        **target,
        "TimeDeleted": store.now() if record is None else record.time_modified,
    }


def data_ext_rets(
    store: CompanyStore, record: Record | None, owners: frozenset[str]
) -> list[dict[str, Any]]:
    """The DataExtRet values of ``record`` (None: the company) for the OwnerIDs asked for,
    sorted by name."""
    values = _values(store, record)
    shown = [
        _ret(d, d["DataExtName"], values[d["DataExtID"]])
        for d in store.data_ext_defs
        if d["DataExtID"] in values and d["OwnerID"] in owners
    ]
    return sorted(shown, key=lambda ret: str(ret["DataExtName"]).casefold())


def _values(store: CompanyStore, record: Record | None) -> dict[int, str]:
    """DataExtID -> value of a record, or of the company (None)."""
    return store.company_data_ext if record is None else record.fields.get(VALUES, {})


def _write(store: CompanyStore, record: Record | None, values: dict[int, str]) -> None:
    if record is None:
        store.company_data_ext = values
        return
    record.fields[VALUES] = values
    store.touch(record)


def _is(definition: dict[str, Any], owner: str, name: str) -> bool:
    return definition["OwnerID"] == owner and (
        str(definition["DataExtName"]).casefold() == name.strip().casefold()
    )


def _target(store: CompanyStore, data: dict[str, Any]) -> tuple[Record | None, dict[str, Any]]:
    """The object a DataExtAdd/Mod/Del names (None: the company) and the definition it
    writes."""
    # Transaction lines never get here (wire.NOT_MODELED_MEMBERS).
    record: Record | None
    if "OtherDataExtType" in data:
        object_type, record = "Company", None
    elif "ListDataExtType" in data:
        object_type = data["ListDataExtType"]
        record = _list_object(store, object_type, data["ListObjRef"])
    else:
        object_type = data["TxnDataExtType"]
        if object_type not in TXN_KINDS:
            raise NotModeledError(f"DataExt on a {object_type}")
        record = store.get(object_type, str(data["TxnID"]))
    name = str(data["DataExtName"])
    for definition in store.data_ext_defs:
        if _is(definition, data["OwnerID"], name) and object_type in definition["AssignToObject"]:
            return record, definition
    raise ObjectNotFound(name.strip())


def _list_object(store: CompanyStore, object_type: str, ref: dict[str, Any]) -> Record:
    if object_type not in LIST_OF_KIND.values():
        raise NotModeledError(f"DataExt on an {object_type}")
    if ref.get("ListID"):
        record = store.find_by_id(object_type, str(ref["ListID"]))
    else:
        record = store.find_by_name(object_type, str(ref.get("FullName", "")))
    if record is None:
        shown = str(ref.get("ListID") or ref.get("FullName") or "")
        raise InvalidReference(LIST_TITLES[object_type], shown, "DataExt")
    return record


def _checked_value(definition: dict[str, Any], value: Any) -> str:
    text = str(value).strip()
    limit = STRING_LIMITS.get(definition["DataExtType"])
    if limit is not None and len(text) > limit:
        raise StringTooLong("DataExtValue", text)
    return text


def _ret(definition: dict[str, Any], name: str, value: str) -> dict[str, Any]:
    return {
        "OwnerID": definition["OwnerID"],
        "DataExtName": str(name).strip(),
        "DataExtType": definition["DataExtType"],
        "DataExtValue": value,
    }
