"""Who may see what: one table of pages and one of tables per role, checked on the server for every
page render, callback and download (hiding a link is not a permission)."""
from __future__ import annotations

from flask import g
from flask_login import current_user

from pipelines.accounts import Account

ALL_READERS = frozenset({"leader", "auditor", "supervisor"})
SCOPED = frozenset({"leader", "supervisor"})  # roles whose account's region limits what they see
REVIEWERS = frozenset({"supervisor"})  # who approves, returns, issues and closes 督办 (others read)
PAGE_ROLES = {
    "/": ALL_READERS, "/tasks": ALL_READERS, "/targets": ALL_READERS, "/units": ALL_READERS,
    "/review": ALL_READERS,
    "/quality": frozenset({"auditor"}),
    "/my": frozenset({"unit"}),
    "/audit": frozenset({"auditor", "admin"}),
    "/accounts": frozenset({"admin"}),
}
TABLE_ROLES = {
    "tasks": ALL_READERS, "overdue": ALL_READERS, "targets": ALL_READERS, "units": ALL_READERS,
    "gx": frozenset({"auditor"}), "gx_history": frozenset({"auditor"}), "dbt": frozenset({"auditor"}),
    "inputs": frozenset({"auditor"}), "quarantine": frozenset({"auditor"}), "plan_files": frozenset({"auditor"}),
    "my_tasks": frozenset({"unit"}), "my_uploads": frozenset({"unit"}),
    "audit_log": frozenset({"auditor", "admin"}), "accounts": frozenset({"admin"}),
    "review_queue": ALL_READERS, "escalations": ALL_READERS,
}
HOME = {"leader": "/", "auditor": "/", "supervisor": "/review", "unit": "/my", "admin": "/accounts"}


def account() -> Account | None:
    """The logged-in account of this request, or None."""
    return current_user.account if getattr(current_user, "is_authenticated", False) else None


def region_scope() -> frozenset | None:
    """The regions a leader or supervisor of a city or county may see (their own and those below); None: all."""
    a = account()
    if a is None or a.role not in SCOPED or not a.region:
        return None
    if "plankpi_scope" not in g:  # asked by every table and chart of a page: one query per request
        from dashboards import data
        g.plankpi_scope = data.scope_regions(a.region)
    return g.plankpi_scope


def scope_key() -> str:
    """The reader's key in the overview's per-scope marts (mart_scope_*): a leader's or supervisor's own
    region when region_scope() limits them, else data.ALL_REGIONS (a reader of every region)."""
    from dashboards import data
    return account().region if region_scope() is not None else data.ALL_REGIONS


def may_see_page(path: str) -> bool:
    a = account()
    return a is not None and a.role in PAGE_ROLES.get(path, frozenset())


def may_see_table(name: str) -> bool:
    a = account()
    return a is not None and a.role in TABLE_ROLES.get(name, frozenset())


def pages_for(role: str) -> list[str]:
    return [p for p, roles in PAGE_ROLES.items() if role in roles]


def may_see_task(task_id: str, region: str | None = None) -> bool:
    """THE rule of who may see a task (its detail on /tasks and /my, its evidence, a decision on it):
    leaders, supervisors and auditors a task of their regions; a unit a task it is named in (lead, support
    or implement) of its own region; nobody else. ``region``: the task's, when the caller has it."""
    a = account()
    if a is None or not task_id:
        return False
    from dashboards import data
    region = region if region is not None else data.task_region(task_id)
    if region is None:
        return False
    if a.role in ALL_READERS:
        scope = region_scope()
        return scope is None or region in scope
    if a.role == "unit":
        return a.region == region and data.unit_names_task(a.region, a.unit, task_id)
    return False


def may_review() -> bool:
    """Whether this account decides reviews and 督办 (the supervising office); others only read them."""
    a = account()
    return a is not None and a.role in REVIEWERS
