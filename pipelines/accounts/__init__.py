"""Accounts, roles and the append-only audit log: a SQLite file of their own (data/accounts/), which
no pipeline run opens, so publishing a snapshot never touches who may log in.

Roles: leader (every page, the regions below their own), auditor (every page read-only, the data
quality page and the quarantine, the audit log), supervisor (督查人员 of the supervising office: reviews
the reports of its region and those below, like a leader's scope; issues and closes 督办), unit (one responsible unit of the alias table: its
own tasks, template and uploads), admin (manages accounts). Passwords are hashed with Argon2id
(argon2-cffi); neither a password nor its hash is ever written to the audit log.
"""
from __future__ import annotations

import functools
import hashlib
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROLES = ("leader", "auditor", "supervisor", "unit", "admin")

# Login throttling (issue 25): back-off per client address and per (address, name), never a lock a stranger
# can set off from one address. A name locks only on evidence of a guessing attack: many failures from
# several addresses within the window. Unknown names are counted exactly like real ones.
WINDOW = timedelta(minutes=15)        # failures older than this are forgotten
FREE_PER_PAIR = 5                     # wrong passwords of one name from one address before back-off
FREE_PER_CLIENT = 20                  # failures from one address (any names) before back-off
BACKOFF_MAX = timedelta(minutes=15)   # back-off doubles from 1 s up to this
GUESS_FAILURES = 30                   # failures of one name in the window ...
GUESS_CLIENTS = 3                     # ... from at least this many addresses: a guessing attack, lock the name
LOCKOUT = timedelta(minutes=15)
# Sessions live here (server-side): the cookie carries a random id, this store its hash, so a logout,
# a password reset, a disable or a role change ends them at once.
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=8)
SEEN_EVERY = timedelta(seconds=60)    # last-seen is rewritten at most this often (a write per request is not)

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
create index if not exists audit_log_actor on audit_log (actor, action, seq);
create index if not exists audit_log_action on audit_log (action, seq);
create table if not exists login_throttle (
    key text primary key, failures integer not null, first_at text not null, last_at text not null,
    blocked_until text, clients text not null default '');
create table if not exists sessions (
    id_hash text primary key, username text not null, created_at text not null, seen_at text not null,
    client text);
create index if not exists sessions_username on sessions (username);
"""
_CLIENTS_KEPT = 16  # distinct addresses remembered per name (enough to see a spread attack)

class AccountError(ValueError):
    """A refused account operation; the message is Chinese / English."""


class LoginRefused(AccountError):
    pass


WRONG = "用户名或密码错误 / wrong user name or password"  # the one answer for unknown, disabled, locked, wrong


def _throttled(seconds: int) -> LoginRefused:
    return LoginRefused(f"尝试过于频繁，请 {seconds} 秒后再试 / too many attempts: try again in {seconds} s")


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


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


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of nothing anyone knows, with the same parameters as real ones: an unknown name is checked
    against it, so it costs what a real check costs."""
    return _hasher().hash(secrets.token_hex(16))


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

    def audit_log(self, limit: int | None = None, actor: str | None = None, action: str | None = None,
                  offset: int = 0) -> list[dict]:
        """Entries newest first, filtered by ``actor`` and ``action`` in SQL before any limit (a flood of one
        kind of entry never pushes another kind out of a view); ``limit``/``offset`` page through the rest."""
        with self._connect() as con:
            con.row_factory = sqlite3.Row
            rows = con.execute("""select seq, at, actor, action, target, detail, checksum from audit_log
                                  where (?1 is null or actor = ?1) and (?2 is null or action = ?2)
                                  order by seq desc limit ?3 offset ?4""",
                               [actor, action, -1 if limit is None else limit, offset]).fetchall()
        return [dict(r) for r in rows]

    def audit_last_seq(self) -> int:
        """The newest entry's number: the log only grows, so a view of it is unchanged while this is."""
        return self._reader().execute("select coalesce(max(seq), 0) from audit_log").fetchone()[0]

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
        self.revoke_sessions(username)
        self.audit(actor, "account_disabled", username)

    def change_role(self, username: str, role: str, region: str | None = None, unit: str | None = None,
                    actor: str = "cli") -> None:
        """A new role (and region, unit) for an account; its sessions end, it logs in again as the new role."""
        self._require(username)
        if role not in ROLES:
            raise AccountError(f"未知角色 {role}（可选 {'/'.join(ROLES)}）/ unknown role {role}")
        if role == "unit" and not (region and unit):
            raise AccountError("责任单位账户须指定地区和单位 / a unit account needs --region and --unit")
        with self._connect() as con:
            con.execute("update accounts set role = ?, region = ?, unit = ? where username = ?",
                        [role, region, unit, username])
        self.revoke_sessions(username)
        self.audit(actor, "role_changed", username, f"role={role} region={region or ''} unit={unit or ''}")

    def reset(self, username: str, actor: str = "cli") -> str:
        """A new password (shown once); unlocks and re-enables the account."""
        self._require(username)
        password = new_password()
        with self._connect() as con:
            con.execute("""update accounts set password_hash = ?, failed_logins = 0, locked_until = null,
                           disabled = 0 where username = ?""", [_hasher().hash(password), username])
            con.execute("delete from login_throttle where key = ?", ["name:" + username])
        self.revoke_sessions(username)
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

    # --- sessions ------------------------------------------------------------------------------
    def start_session(self, username: str, client: str = "") -> str:
        """A new session of ``username``: its id (for the cookie, never stored; the store keeps its hash)."""
        session_id = secrets.token_urlsafe(32)
        now = _now()
        with self._connect() as con:
            con.execute("delete from sessions where seen_at < ? or created_at < ?",  # the expired ones
                        [(now - IDLE_TIMEOUT).isoformat(), (now - ABSOLUTE_TIMEOUT).isoformat()])
            con.execute("insert into sessions values (?, ?, ?, ?, ?)",
                        [_session_hash(session_id), username, now.isoformat(), now.isoformat(), client or None])
        return session_id

    def session_account(self, session_id: str) -> Account | None:
        """The account of a live session, or None: ended (logout, reset, disable, role change), idle longer
        than IDLE_TIMEOUT, older than ABSOLUTE_TIMEOUT, or its account disabled."""
        key = _session_hash(session_id or "")
        row = self._reader().execute(
            """select a.username, a.role, a.region, a.unit, a.disabled, s.created_at, s.seen_at
               from sessions s join accounts a using (username) where s.id_hash = ?""", [key]).fetchone()
        if row is None or row[4]:
            return None
        now = _now()
        created, seen = datetime.fromisoformat(row[5]), datetime.fromisoformat(row[6])
        if now - seen > IDLE_TIMEOUT or now - created > ABSOLUTE_TIMEOUT:
            self.end_session(session_id)
            return None
        if now - seen > SEEN_EVERY:
            with self._connect() as con:
                con.execute("update sessions set seen_at = ? where id_hash = ?", [now.isoformat(), key])
        return Account(row[0], row[1], row[2], row[3], False)

    def end_session(self, session_id: str) -> None:
        with self._connect() as con:
            con.execute("delete from sessions where id_hash = ?", [_session_hash(session_id or "")])

    def revoke_sessions(self, username: str) -> int:
        """Ends every session of ``username``; how many there were."""
        with self._connect() as con:
            return con.execute("delete from sessions where username = ?", [username]).rowcount

    # --- login ---------------------------------------------------------------------------------
    def authenticate(self, username: str, password: str, client: str = "") -> Account:
        """The account, or LoginRefused. Unknown, disabled, locked and wrong-password get the same answer
        after the same work (one Argon2 check, against a dummy hash when the name is unknown); a client
        that keeps failing is slowed down (back-off per address and per address and name), which tells it
        nothing about the name. Refusals are audited as counts (the 1st, 2nd, 4th, 8th … failure of a name
        in the window, and of an address), so a flood of them cannot flood the log."""
        from argon2.exceptions import VerificationError, InvalidHashError
        client = client or "-"
        now = _now()
        keys = {"pair": f"pair:{client}|{username}", "client": f"client:{client}", "name": f"name:{username}"}
        counters = self._counters(list(keys.values()), now)
        pair, by_client, by_name = (counters[keys[k]] for k in ("pair", "client", "name"))
        waits = [c["blocked_until"] for c in (pair, by_client) if c["blocked_until"] and c["blocked_until"] > now]
        if waits:  # slowed down: no password check at all (a flood costs the server nothing)
            seconds = max(1, int((max(waits) - now).total_seconds() + 0.999))
            self._failed(keys, counters, username, client, now, "throttled", account_exists=None)
            raise _throttled(seconds)
        with self._connect() as con:
            row = con.execute("select password_hash, disabled from accounts where username = ?",
                              [username]).fetchone()
        try:
            _hasher().verify(row[0] if row else _dummy_hash(), password)
            matched = row is not None
        except (VerificationError, InvalidHashError):  # VerifyMismatchError is a VerificationError
            matched = False
        locked = by_name["blocked_until"] is not None and by_name["blocked_until"] > now
        if matched and not row[1] and not locked:
            failures = pair["failures"]
            with self._connect() as con:
                con.execute("delete from login_throttle where key = ?", [keys["pair"]])
            self.audit(username, "login", username,
                       f"{client}" + (f" after {failures} failed attempts" if failures else ""))
            return self.get(username)
        reason = "unknown account" if row is None else "account disabled" if row[1] else \
            "account locked" if locked else "wrong password"
        self._failed(keys, counters, username, client, now, reason, account_exists=row is not None)
        raise LoginRefused(WRONG)

    def _counters(self, keys: list[str], now: datetime) -> dict[str, dict]:
        """The throttle counters under ``keys`` (failures within the window; zero when none)."""
        with self._connect() as con:
            rows = con.execute(f"""select key, failures, first_at, blocked_until, clients from login_throttle
                                   where key in ({','.join('?' * len(keys))})""", keys).fetchall()
        found = {k: {"failures": 0, "first_at": now, "blocked_until": None, "clients": []} for k in keys}
        for key, failures, first_at, blocked_until, clients in rows:
            first = datetime.fromisoformat(first_at)
            blocked = datetime.fromisoformat(blocked_until) if blocked_until else None
            if now - first > WINDOW and not (blocked and blocked > now):
                continue  # an old window: forgotten
            found[key] = {"failures": failures, "first_at": first, "blocked_until": blocked,
                          "clients": [c for c in clients.split("\n") if c]}
        return found

    def _failed(self, keys: dict, counters: dict, username: str, client: str, now: datetime, reason: str,
                account_exists: bool | None) -> None:
        """Counts a refusal under each key, sets back-off and the guessing lock, and audits by powers of two."""
        def backoff(failures: int, free: int) -> datetime | None:
            if failures < free:
                return None
            return now + min(timedelta(seconds=2 ** min(failures - free, 20)), BACKOFF_MAX)

        pair, by_client, by_name = (counters[keys[k]] for k in ("pair", "client", "name"))
        new = {k: counters[keys[k]]["failures"] + 1 for k in keys}
        clients = by_name["clients"] + ([client] if client not in by_name["clients"] else [])
        lock_name = None
        if new["name"] >= GUESS_FAILURES and len(clients) >= GUESS_CLIENTS and account_exists \
                and not (by_name["blocked_until"] and by_name["blocked_until"] > now):
            lock_name = now + LOCKOUT
        updates = [
            (keys["pair"], new["pair"], pair, backoff(new["pair"], FREE_PER_PAIR), pair["clients"]),
            (keys["client"], new["client"], by_client, backoff(new["client"], FREE_PER_CLIENT), []),
            (keys["name"], new["name"], by_name, lock_name or by_name["blocked_until"], clients[-_CLIENTS_KEPT:]),
        ]
        with self._connect() as con:
            con.execute("begin immediate")
            con.execute("delete from login_throttle where last_at < ? and coalesce(blocked_until, '') < ?",
                        [(now - WINDOW).isoformat(), now.isoformat()])
            for key, failures, old, blocked, kept in updates:
                con.execute("""insert or replace into login_throttle (key, failures, first_at, last_at, blocked_until,
                               clients) values (?, ?, ?, ?, ?, ?)""",
                            [key, failures, old["first_at"].isoformat(), now.isoformat(),
                             blocked.isoformat(timespec="seconds") if blocked else None, "\n".join(kept)])
            con.execute("commit")
        since = f"since {by_name['first_at'].isoformat(timespec='seconds')}"
        if account_exists is not False and _is_power_of_two(new["name"]):  # a real name: its own count
            self.audit(username, "login_failed", username,
                       f"{new['name']} failed attempts {since}, from {len(clients)} addresses; last {client}: {reason}")
        if _is_power_of_two(new["client"]):  # any name: the address's count
            self.audit(f"client:{client}", "login_failed", username,
                       f"{new['client']} failed attempts from {client} since "
                       f"{by_client['first_at'].isoformat(timespec='seconds')}; last: {reason}")
        if lock_name:
            self.audit(username, "login_locked", username,
                       f"{new['name']} failed attempts from {len(clients)} addresses {since}: locked until "
                       f"{lock_name.isoformat(timespec='seconds')}")


def store_for(data_root: Path) -> AccountStore:
    return AccountStore(Path(data_root) / "accounts" / "accounts.sqlite")
