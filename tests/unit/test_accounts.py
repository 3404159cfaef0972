"""Accounts: Argon2 hashes, lockout, disable/reset, the append-only audit log, and the CLI."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from pipelines.accounts import MAX_FAILURES, AccountError, LoginRefused, store_for


@pytest.fixture
def store(tmp_path):
    return store_for(tmp_path)


def test_passwords_are_hashed_with_argon2id_and_never_stored_or_logged(store, tmp_path):
    password = store.add("u1", "unit", "阳泉市", "市生态环境局")
    assert len(password) >= 16
    with sqlite3.connect(store.path) as con:
        (hash_,) = con.execute("select password_hash from accounts").fetchone()
    assert hash_.startswith("$argon2id$")
    assert store.authenticate("u1", password).unit == "市生态环境局"
    for f in (tmp_path / "accounts").iterdir():
        assert password.encode() not in f.read_bytes()
    assert all(password not in str(e) for e in store.audit_log())


def test_repeated_failures_lock_the_account_even_for_the_right_password(store):
    password = store.add("u1", "leader")
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginRefused, match="wrong user name or password"):
            store.authenticate("u1", "guess")
    with pytest.raises(LoginRefused, match="locked until"):
        store.authenticate("u1", password)
    new = store.reset("u1")  # an administrator's reset unlocks
    assert store.authenticate("u1", new).role == "leader"
    with pytest.raises(LoginRefused):
        store.authenticate("u1", password)  # the old password is gone


def test_disabled_and_unknown_accounts_are_refused(store):
    password = store.add("u1", "auditor")
    store.disable("u1")
    with pytest.raises(LoginRefused, match="disabled"):
        store.authenticate("u1", password)
    with pytest.raises(LoginRefused, match="wrong user name or password"):
        store.authenticate("nobody", "x")
    with pytest.raises(AccountError, match="unit"):
        store.add("u2", "unit")
    with pytest.raises(AccountError, match="unknown role"):
        store.add("u3", "king")


def test_the_audit_log_is_append_only(store):
    store.add("u1", "admin", actor="cli:root")
    store.audit("u1", "upload", "f.xlsx", "rows 3", "ab" * 32)
    log = store.audit_log()
    assert [(e["actor"], e["action"]) for e in log] == [("u1", "upload"), ("cli:root", "account_added")]
    with sqlite3.connect(store.path) as con:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("update audit_log set actor = 'someone else'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("delete from audit_log")


def test_cli_adds_disables_resets_and_checks_units(tmp_path):
    env = {"PLANKPI_DATA": str(tmp_path), "PATH": ""}
    run = lambda *a: subprocess.run([sys.executable, "-m", "pipelines.cli", "users", *a], capture_output=True,
                                    env=env, text=True)
    added = run("add", "yq", "--role", "unit", "--region", "阳泉市", "--unit", "市生态环境局")
    assert added.returncode == 0 and "password" in added.stdout
    password = added.stdout.rsplit(" ", 1)[-1].strip()
    assert store_for(tmp_path).authenticate("yq", password).region == "阳泉市"
    bad = run("add", "x", "--role", "unit", "--region", "阳泉市", "--unit", "不存在的局")
    assert bad.returncode == 2 and "no unit" in bad.stderr
    assert run("disable", "yq").returncode == 0 and store_for(tmp_path).get("yq").disabled
    reset = run("reset", "yq")
    assert store_for(tmp_path).authenticate("yq", reset.stdout.rsplit(" ", 1)[-1].strip()).username == "yq"
    demo = run("demo")
    assert demo.stdout.count("password") == 5 and "jc_sthjj" in demo.stdout
    again = run("demo")
    assert "password:" not in again.stdout and again.stdout.count("exists") == 5
    actions = [e["action"] for e in store_for(tmp_path).audit_log()]
    assert actions.count("account_added") == 6 and "account_disabled" in actions and "password_reset" in actions
