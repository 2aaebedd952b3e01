"""What an xAPI statement query asks of the GS LRS sandbox: its parameters, the filters they
give (``since`` / ``until``, verb, activity, agent, registration, order), and whether a statement
matches an activity or agent filter (xAPI 1.0.3 Communication 2.1.3)."""

from __future__ import annotations

import json
from typing import Any

from sandbox.servers.base import parse_iso

QUERY_PARAMS = {
    "statementId",
    "voidedStatementId",
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
}


class BadRequest(Exception):
    """A query the LRS refuses (400)."""


def bool_param(params: dict[str, str], name: str, default: bool) -> bool:
    """A ``true`` / ``false`` parameter."""
    value = params.get(name)
    if value is None:
        return default
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise BadRequest(f"{name} must be true or false")


def agent_ids(agent: dict[str, Any]) -> dict[str, Any]:
    """An agent's inverse functional identifiers (mbox, mbox_sha1sum, openid, account)."""
    ids = {k: agent[k] for k in ("mbox", "mbox_sha1sum", "openid") if agent.get(k)}
    account = agent.get("account")
    if isinstance(account, dict):
        ids["account"] = (account.get("homePage"), account.get("name"))
    return ids


def query_filters(params: dict[str, str]) -> dict[str, Any]:
    """The filters of a statement query (what its ``more`` links carry)."""
    filters: dict[str, Any] = {}
    for name in ("since", "until"):
        if params.get(name):
            try:
                filters[name] = parse_iso(params[name]).isoformat()
            except ValueError as exc:
                raise BadRequest(f"{name} must be an ISO 8601 timestamp") from exc
    for name in ("verb", "activity", "registration"):
        if params.get(name):
            filters[name] = params[name]
    if params.get("agent"):
        try:
            agent = json.loads(params["agent"])
        except ValueError as exc:
            raise BadRequest("agent must be a JSON Agent object") from exc
        if not isinstance(agent, dict) or not agent_ids(agent):
            raise BadRequest("agent must be a JSON Agent object with an identifier")
        filters["agent"] = agent_ids(agent)
    filters["related_activities"] = bool_param(params, "related_activities", False)
    filters["related_agents"] = bool_param(params, "related_agents", False)
    filters["ascending"] = bool_param(params, "ascending", False)
    return filters


def has_activity(statement: dict[str, Any], activity: str, related: bool) -> bool:
    """Whether the statement's object is the activity (or, ``related``, a context one)."""
    obj = statement.get("object") or {}
    if obj.get("objectType", "Activity") == "Activity" and obj.get("id") == activity:
        return True
    if not related:
        return False
    context_activities = (statement.get("context") or {}).get("contextActivities") or {}
    for group in context_activities.values():
        items = group if isinstance(group, list) else [group]
        if any(isinstance(a, dict) and a.get("id") == activity for a in items):
            return True
    return False


def has_agent(statement: dict[str, Any], wanted: dict[str, Any], related: bool) -> bool:
    """Whether the actor (or, ``related``, another agent of the statement) is the agent."""
    candidates = [statement.get("actor") or {}]
    if related:
        candidates += [
            statement.get("object") or {},
            (statement.get("context") or {}).get("instructor") or {},
        ]
        candidates.append(statement.get("authority") or {})
    for agent in candidates:
        if not isinstance(agent, dict):
            continue
        ids = agent_ids(agent)
        if any(ids.get(k) == v for k, v in wanted.items()):
            return True
    return False
