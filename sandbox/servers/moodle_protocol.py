"""Moodle's web-service protocol as the Academy sandbox speaks it: the error bodies
(``{"exception", "errorcode", "message"}``), PHP-style array arguments parsed and validated
strictly (:class:`Args`), and the XML format Moodle answers in by default."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

REQUIRED = object()


class MoodleError(Exception):
    def __init__(self, exception: str, errorcode: str, message: str, debuginfo: str | None = None):
        super().__init__(message)
        self.body: dict[str, Any] = {
            "exception": exception,
            "errorcode": errorcode,
            "message": message,
        }
        if debuginfo is not None:
            self.body["debuginfo"] = debuginfo


def invalid_parameter(detail: str) -> MoodleError:
    return MoodleError(
        "invalid_parameter_exception",
        "invalidparameter",
        "Invalid parameter value detected",
        f"Invalid parameter value detected ({detail})",
    )


def invalid_at(where: str, detail: str) -> MoodleError:
    """invalidparameter for a nested value, worded as Moodle's validate_parameters words it."""
    return invalid_parameter(f"{where} => Invalid parameter value detected ({detail})")


def missing_record(table: str) -> MoodleError:
    return MoodleError(
        "dml_missing_record_exception",
        "invalidrecord",
        f"Can't find data record in database table {table}.",
    )


INVALID_TOKEN = MoodleError("moodle_exception", "invalidtoken", "Invalid token - token not found")

# Functions a real Moodle knows but this web service does not expose: accessexception.
NOT_IN_SERVICE = {
    "core_user_get_users",
    "core_user_get_users_by_field",
    "core_user_create_users",
    "core_course_create_courses",
    "core_course_get_contents",
    "core_enrol_get_users_courses",
    "core_completion_get_activities_completion_status",
    "gradereport_overview_get_course_grades",
    "mod_customcert_get_element_html",
    "mod_customcert_delete_issue",
    "mod_customcert_save_element",
}


# --------------------------------------------------------------------------- PHP-style arguments


_KEY_RE = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def parse_php_args(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``options[0][name]=x`` style pairs into nested dicts (keys stay strings)."""
    out: dict[str, Any] = {}
    for raw_key, value in pairs:
        match = _KEY_RE.match(raw_key)
        if not match:
            out[raw_key] = value
            continue
        parts = [match.group(1)] + re.findall(r"\[([^\[\]]*)\]", match.group(2))
        node = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "":  # name[] : append
                part = str(sum(1 for k in node if k.isdigit()))
            if last:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = {}
                    node[part] = child
                node = child
    return out


class Args:
    """Validates one function's arguments the way Moodle's external_api does."""

    def __init__(self, raw: dict[str, Any]):
        self.raw = raw
        self.used: set[str] = set()

    def _get(self, name: str, default: Any) -> Any:
        self.used.add(name)
        if name not in self.raw:
            if default is REQUIRED:
                raise invalid_parameter(f"Missing required key in single structure: {name}")
            return default
        return self.raw[name]

    def int(self, name: str, default: Any = REQUIRED) -> Any:
        value = self._get(name, default)
        if value is default and name not in self.raw:
            return value
        return to_int(value, name)

    def bool(self, name: str, default: Any = REQUIRED) -> Any:
        value = self._get(name, default)
        if value is default and name not in self.raw:
            return value
        return to_bool(value, name)

    def str(self, name: str, default: Any = REQUIRED) -> Any:
        value = self._get(name, default)
        if isinstance(value, dict):
            raise invalid_at(name, "Scalar type expected, array or object received.")
        return value

    def list(self, name: str, item: Callable[[Any, str], Any], default: Any = REQUIRED) -> Any:
        value = self._get(name, default)
        if value is default and name not in self.raw:
            return value
        if not isinstance(value, dict):
            raise invalid_at(name, f"Only arrays accepted. The bad value is: '{value}'")
        return [item(value[k], f"{name} => {k}") for k in sorted(value, key=_array_order)]

    def done(self) -> None:
        unexpected = [k for k in self.raw if k not in self.used]
        if unexpected:
            raise invalid_parameter(
                f"Unexpected keys ({', '.join(unexpected)}) detected in parameter array."
            )


def _array_order(key: str) -> tuple[int, int | str]:
    return (0, int(key)) if key.lstrip("-").isdigit() else (1, key)


def _type_detail(value: Any, expected: str) -> str:
    return (
        f'Invalid external api parameter: the value is "{value}", '
        f'the server was expecting "{expected}" type'
    )


def to_int(value: Any, where: str) -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise invalid_at(where, _type_detail(value, "int"))


def to_bool(value: Any, where: str) -> bool:
    if isinstance(value, str) and value.strip().lower() in {"1", "0", "true", "false"}:
        return value.strip().lower() in {"1", "true"}
    raise invalid_at(where, _type_detail(value, "bool"))


def struct(keys: dict[str, Any]) -> Callable[[Any, str], dict[str, Any]]:
    """Item validator for a list of single structures with string values."""

    def check(value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise invalid_at(where, f"Only arrays accepted. The bad value is: '{value}'")
        out = {}
        for key, default in keys.items():
            if key in value:
                out[key] = value[key]
            elif default is REQUIRED:
                raise invalid_at(where, f"Missing required key in single structure: {key}")
            else:
                out[key] = default
        extra = [k for k in value if k not in keys]
        if extra:
            keys_text = ", ".join(extra)
            raise invalid_at(where, f"Unexpected keys ({keys_text}) detected in parameter array.")
        return out

    return check


# --------------------------------------------------------------------------- XML rendering


def to_xml(value: Any) -> str:
    def node(v: Any) -> str:
        if isinstance(v, dict):
            keys = "".join(f"<KEY name={quoteattr(str(k))}>{node(x)}</KEY>\n" for k, x in v.items())
            return f"<SINGLE>\n{keys}</SINGLE>\n"
        if isinstance(v, list):
            return "<MULTIPLE>\n" + "".join(node(x) for x in v) + "</MULTIPLE>\n"
        if v is None:
            return '<VALUE null="null"/>\n'
        if isinstance(v, bool):
            v = int(v)
        return f"<VALUE>{escape(str(v))}</VALUE>\n"

    return f'<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n{node(value)}</RESPONSE>\n'


def exception_xml(body: dict[str, Any]) -> str:
    debug = f"<DEBUGINFO>{escape(body['debuginfo'])}</DEBUGINFO>\n" if "debuginfo" in body else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        f"<EXCEPTION class={quoteattr(body['exception'])}>\n"
        f"<ERRORCODE>{escape(body['errorcode'])}</ERRORCODE>\n"
        f"<MESSAGE>{escape(body['message'])}</MESSAGE>\n{debug}</EXCEPTION>\n"
    )
