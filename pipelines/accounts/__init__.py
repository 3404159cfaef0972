"""Accounts, roles and the append-only audit log: a SQLite file of their own (data/accounts/), which
no pipeline run opens, so publishing a snapshot never touches who may log in.

Roles: leader (every page, the regions below their own), auditor (every page read-only, the data
quality page and the quarantine, the audit log), unit (one responsible unit of the alias table: its
own tasks, template and uploads), admin (manages accounts). Passwords are hashed with Argon2id
(argon2-cffi); neither a password nor its hash is ever written to the audit log.
"""
from __future__ import annotations

import secrets
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROLES = ("leader", "auditor", "unit", "admin")
MAX_FAILURES = 5                      # wrong passwords in a row before the account locks
LOCKOUT = timedelta(minutes=15)

_SCHEMA = """
create table if not exists accounts (
    username text primary key, role text not null, region text, unit text,
    password_hash text not null, disabled integer not null default 0,
    failed_logins integer not null default 0, locked_until text, created_at text not null);
create table if not exists audit_log (
    seq integer primary key autoincrement, at text not null, actor text not null, action text not null,
    target text, detail text, checksum text);
create trigger if not exists audit_log_no_update before update on audit_log
    begin select raise(abort, 'audit_log is append-only'); end;
create trigger if not exists audit_log_no_delete before delete on audit_log
    begin select raise(abort, 'audit_log is append-only'); end;
"""


class AccountError(ValueError):
    """A refused account operation; the message is Chinese / English."""


class LoginRefused(AccountError):
    pass


def check_place(reference_dir: Path, role: str, region: str | None, unit: str | None) -> None:
    """An account's region and unit must be ones the reference tables know (regions.csv, unit_aliases.csv):
    the same check for the command line and the administrators' web page."""
    from pipelines.reference import regions, unit_aliases
    if role == "unit" and unit not in unit_aliases(reference_dir).units_of(region):
        raise AccountError(f"{region} 没有名为 {unit} 的责任单位（见 data/reference/unit_aliases.csv）/ "
                           f"no unit {unit} in {region}")
    if region and region not in {r["region"] for r in regions(reference_dir)}:
        raise AccountError(f"未知地区 {region}（见 data/reference/regions.csv）/ unknown region {region}")


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    region: str | None
    unit: str | None
    disabled: bool = False

    @property
    def label(self) -> str:
        return " ".join(x for x in (self.username, self.region, self.unit) if x)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _hasher():
    from argon2 import PasswordHasher
    return PasswordHasher()  # Argon2id with the library's current recommended parameters


def new_password() -> str:
    return secrets.token_urlsafe(12)


class AccountStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._readers = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("pragma journal_mode=wal")  # many dashboard workers read while one writes (kept by the file)
            con.executescript(_SCHEMA)

    @contextmanager
    def _connect(self):
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)  # autocommit; explicit begin
        try:
            yield con
        finally:
            con.close()

    # --- audit -------------------------------------------------------------------------------
    def audit(self, actor: str, action: str, target: str | None = None, detail: str | None = None,
              checksum: str | None = None) -> None:
        with self._connect() as con:
            con.execute("insert into audit_log (at, actor, action, target, detail, checksum) values (?, ?, ?, ?, ?, ?)",
                        [_now().isoformat(timespec="seconds"), actor, action, target, detail, checksum])

    def audit_log(self, limit: int = 1000, actor: str | None = None) -> list[dict]:
        with self._connect() as con:
            con.row_factory = sqlite3.Row
            rows = con.execute("""select seq, at, actor, action, target, detail, checksum from audit_log
                                  where ? is null or actor = ? order by seq desc limit ?""",
                               [actor, actor, limit]).fetchall()
        return [dict(r) for r in rows]

    # --- accounts ------------------------------------------------------------------------------
    def get(self, username: str) -> Account | None:
        row = self._reader().execute("select username, role, region, unit, disabled from accounts where username = ?",
                                     [username]).fetchone()
        return Account(row[0], row[1], row[2], row[3], bool(row[4])) if row else None

    def _reader(self) -> sqlite3.Connection:
        """This thread's connection for the lookup every dashboard request makes (opening one per request
        cost more than the lookup). In autocommit each read sees the latest commit: a disabled account
        is refused at its next request."""
        con = getattr(self._readers, "con", None)
        if con is None:
            con = self._readers.con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        return con

    def accounts(self) -> list[Account]:
        with self._connect() as con:
            rows = con.execute("select username, role, region, unit, disabled from accounts order by role, username")
            return [Account(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows.fetchall()]

    def add(self, username: str, role: str, region: str | None = None, unit: str | None = None,
            password: str | None = None, actor: str = "cli") -> str:
        """Create an account; returns its password (generated when not given), shown once."""
        if role not in ROLES:
            raise AccountError(f"未知角色 {role}（可选 {'/'.join(ROLES)}）/ unknown role {role}")
        if role == "unit" and not (region and unit):
            raise AccountError("责任单位账户须指定地区和单位 / a unit account needs --region and --unit")
        if self.get(username) is not None:
            raise AccountError(f"账户 {username} 已存在 / account {username} exists")
        password = password or new_password()
        with self._connect() as con:
            con.execute("""insert into accounts (username, role, region, unit, password_hash, created_at)
                           values (?, ?, ?, ?, ?, ?)""",
                        [username, role, region, unit, _hasher().hash(password), _now().isoformat()])
        self.audit(actor, "account_added", username, f"role={role} region={region or ''} unit={unit or ''}")
        return password

    def disable(self, username: str, actor: str = "cli") -> None:
        self._require(username)
        with self._connect() as con:
            con.execute("update accounts set disabled = 1 where username = ?", [username])
        self.audit(actor, "account_disabled", username)

    def reset(self, username: str, actor: str = "cli") -> str:
        """A new password (shown once); unlocks and re-enables the account."""
        self._require(username)
        password = new_password()
        with self._connect() as con:
            con.execute("""update accounts set password_hash = ?, failed_logins = 0, locked_until = null,
                           disabled = 0 where username = ?""", [_hasher().hash(password), username])
        self.audit(actor, "password_reset", username)
        return password

    def ensure(self, username: str, role: str, region: str | None = None, unit: str | None = None,
               actor: str = "cli") -> str:
        """A fresh password for ``username``, creating the account if it does not exist yet."""
        if self.get(username) is None:
            return self.add(username, role, region, unit, actor=actor)
        return self.reset(username, actor=actor)

    def _require(self, username: str) -> None:
        if self.get(username) is None:
            raise AccountError(f"账户 {username} 不存在 / no account {username}")

    # --- login ---------------------------------------------------------------------------------
    def authenticate(self, username: str, password: str, client: str = "") -> Account:
        """The account, or LoginRefused; every attempt is audited (never the password)."""
        from argon2.exceptions import VerifyMismatchError, VerificationError, InvalidHashError
        with self._connect() as con:
            row = con.execute("""select password_hash, disabled, failed_logins, locked_until from accounts
                                 where username = ?""", [username]).fetchone()
        refused = LoginRefused("用户名或密码错误 / wrong user name or password")
        if row is None:
            _hasher().hash(password)  # as slow as a real check: no telling which names exist
            self.audit(username, "login_failed", username, f"unknown account {client}".strip())
            raise refused
        hash_, disabled, failures, locked_until = row
        if disabled:
            self.audit(username, "login_refused", username, "account disabled")
            raise LoginRefused("账户已停用，请联系管理员 / account disabled: ask the administrator")
        if locked_until and datetime.fromisoformat(locked_until) > _now():
            self.audit(username, "login_refused", username, f"locked until {locked_until}")
            raise LoginRefused(f"密码错误次数过多，账户已锁定至 {locked_until[:16]}（UTC）/ too many wrong "
                               f"passwords: locked until {locked_until[:16]} UTC")
        try:
            _hasher().verify(hash_, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            failures += 1
            lock = (_now() + LOCKOUT).isoformat(timespec="seconds") if failures >= MAX_FAILURES else None
            with self._connect() as con:
                con.execute("update accounts set failed_logins = ?, locked_until = ? where username = ?",
                            [0 if lock else failures, lock, username])
            self.audit(username, "login_failed", username,
                       f"failure {failures}" + (f", locked until {lock}" if lock else ""))
            raise refused from None
        with self._connect() as con:
            con.execute("update accounts set failed_logins = 0, locked_until = null where username = ?", [username])
        self.audit(username, "login", username, client or None)
        return self.get(username)


def store_for(data_root: Path) -> AccountStore:
    return AccountStore(Path(data_root) / "accounts" / "accounts.sqlite")
