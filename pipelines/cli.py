"""plankpi: the command line. Every command calls the same core function as the Dagster asset."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import duckdb

from .accounts import ROLES
from .config import data_paths


def cmd_parse(args) -> int:
    from .parsing import parse_document
    from .parsing.folder import plan_files
    from .parsing.report import document_report, format_report
    from .reference import unit_aliases
    paths = data_paths()
    files = [Path(f) for f in args.files]
    if args.report:
        files += plan_files(Path(args.report))
    if not files:
        print("请指定计划文件或 --report 目录 / name plan files or --report DIR", file=sys.stderr)
        return 2
    status = 0
    for f in files:
        try:
            doc = parse_document(f)
        except (OSError, ValueError) as exc:
            print(f"无法解析 / cannot parse {f}: {exc}", file=sys.stderr)
            status = 2
            continue
        if args.json:
            print(json.dumps(doc, ensure_ascii=False, indent=2))
        elif args.report:
            print(format_report(document_report(doc, unit_aliases(paths.reference))))
        else:
            tasks = sum(len(p["tasks"]) for p in doc["plans"])
            targets = sum(len(p["targets"]) for p in doc["plans"])
            print(f"{doc['source']}: {doc['region']} {doc['issue_date']} 计划 {len(doc['plans'])} 个 / plans, "
                  f"任务 {tasks} 项 / tasks, 目标 {targets} 个 / targets, 未识别 {len(doc['unparsed'])} 处 / unparsed")
    return status


def cmd_sample(args) -> int:
    from .steps import NoPlansError, write_sample
    paths = data_paths()
    try:
        written = write_sample(paths)
    except NoPlansError as e:  # the sample is made from the plans: without one there is nothing to report on
        print(e, file=sys.stderr)
        return 2
    print(f"示例数据已写入 / sample data written: {len(written)} 个文件 / files -> {paths.inbox}")
    return 0


def cmd_ingest(args) -> int:
    import shutil
    from .steps import ingest_submissions
    problems = []
    for f in args.files:  # every named file must be a readable file before anything is copied
        p = Path(f)
        if not p.exists():
            problems.append(f"文件不存在 / no such file: {f}")
        elif not p.is_file():
            problems.append(f"不是文件 / not a file: {f}")
        elif not os.access(p, os.R_OK):
            problems.append(f"无法读取（权限不足）/ cannot read (permission denied): {f}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    paths = data_paths().ensure()
    for f in args.files:  # files named on the command line go through the inbox like any other
        try:
            shutil.copy2(f, paths.inbox / Path(f).name)
        except OSError as exc:
            print(f"无法读取 / cannot read {f}: {exc.strerror}", file=sys.stderr)
            return 2
    reports = ingest_submissions(paths)
    for r in reports:
        print(r.format())
    if not reports:
        print("收件箱为空 / inbox is empty")
    return 1 if any(r.status == "rejected" for r in reports) else 0


def cmd_templates(args) -> int:
    from .steps import write_templates
    try:
        written = write_templates(data_paths().ensure(), args.period)
    except (ValueError, FileNotFoundError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    folder = written[0].parent if written else data_paths().outbox / args.period
    print(f"已生成填报模板 / templates written: {len(written)} 个单位 / units -> {folder}")
    return 0


def cmd_bulletin(args) -> int:
    """The month's 通报 (.docx and .pdf) of a region from the published snapshot."""
    from .bulletin import BulletinError
    from .steps import write_bulletins
    try:
        written = write_bulletins(data_paths(), args.period, [args.region] if args.region else None,
                                  out=Path(args.out), template=Path(args.template) if args.template else None,
                                  doc_no=args.doc_no or "")
    except (BulletinError, FileNotFoundError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for w in written:
        print(f"已生成通报 / bulletin written: {w.docx}  {w.pdf}")
    return 0


def cmd_reminders(args) -> int:
    """Reminders of the published snapshot into outbox/<date>/, mailed when PLANKPI_SMTP_HOST is set."""
    from datetime import date as _date

    from .supervision.reminders import RemindersError, SmtpSettings, send_reminders
    from .warehouse.publish import current_snapshot_path
    paths = data_paths()
    try:
        day = _date.fromisoformat(args.date) if args.date else None
        result = send_reminders(current_snapshot_path(paths.serving), paths.outbox, day, SmtpSettings.from_env())
    except (RemindersError, ValueError, OSError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"催报 {len(result.letters)} 个单位 / reminders for {len(result.letters)} units as of {result.as_of}"
          f" -> {result.folder}; 已发邮件 / mailed: {result.mailed}")
    for err in result.mail_errors:
        print(f"邮件未发出 / not mailed: {err}", file=sys.stderr)
    return 1 if result.mail_errors else 0


CLI_RUN_TAG = "plankpi/runner"  # tags the runs `plankpi run` executes in its own process


def _runs_in_progress(instance) -> list:
    """The instance's runs in progress, after marking failed those `plankpi run` started in a process that
    is gone (killed: it cannot be running, since this process holds the run lock)."""
    import dagster as dg
    active = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
    busy = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=active)):
        if run.tags.get(CLI_RUN_TAG) == "cli":
            instance.report_run_failed(run, message="进程已终止 / its plankpi run process is gone (killed)")
        else:
            busy.append(run)
    return busy


def cmd_run(args) -> int:
    """Materialise every asset through Dagster, recorded in DAGSTER_HOME like a UI run; one run at a time
    (pipelines.runlock): a second says why and stops, or waits with --wait."""
    import time

    import dagster as dg
    from .submissions.sample import sample_as_of
    if not os.environ.get("PLANKPI_AS_OF"):
        paths = data_paths()
        as_of = sample_as_of([paths.inbox, paths.archive])
        if as_of is not None:  # read by the Definitions' resource (pipelines/defs/resources.py)
            os.environ["PLANKPI_AS_OF"] = as_of.isoformat()
            print(f"示例数据：统计截止日设为示例最后报告期末 {as_of} / sample data: as-of set to the end of "
                  f"the sample's last reporting period, {as_of} (PLANKPI_AS_OF overrides; real data: today)")
    from .definitions import defs
    from .runlock import RunInProgress, run_lock
    from .warehouse.publish import clean_temp
    paths = data_paths().ensure()
    job = defs.resolve_job_def(args.job)
    try:
        with run_lock(paths.warehouse, wait=args.wait):
            clean_temp(paths.serving)  # what a killed publish left aside
            instance = dg.DagsterInstance.get() if args.persist else dg.DagsterInstance.ephemeral()
            while busy := (_runs_in_progress(instance) if args.persist else []):
                running = ", ".join(f"{r.job_name} {r.run_id[:8]} ({r.status.value})" for r in busy)
                if not args.wait:
                    raise RunInProgress(f"Dagster 中有运行正在进行：{running}；本次未开始，可加 --wait 排队 / a Dagster "
                                        f"run is in progress: {running}; this one did not start (pass --wait)")
                time.sleep(2)
            from .run_ui import run_with_progress
            result, log = run_with_progress(job, instance, sys.stdout, tags={CLI_RUN_TAG: "cli"})
    except RunInProgress as exc:
        print(str(exc), file=sys.stderr)
        return 75  # EX_TEMPFAIL: try again later
    _summary(result.success, log)
    return 0 if result.success else 1


def _summary(success: bool, log: Path) -> None:
    """What the run published and where to look next."""
    from .warehouse.publish import current_snapshot
    snap = current_snapshot(data_paths().serving)
    if snap is not None:
        with duckdb.connect(str(snap.path), read_only=True) as con:
            plans, tasks, overdue, targets = con.execute(
                "select plans_total, tasks_total, tasks_overdue, targets_total from marts.mart_headline").fetchone()
        print(f"已发布快照 / published: {snap.path.name}：计划 {plans:,} 个，任务 {tasks:,} 条（逾期 {overdue:,}），"
              f"目标 {targets:,} 个 / plans, tasks (overdue), targets")
    host, port = os.environ.get("DASH_HOST", "127.0.0.1"), os.environ.get("DASH_PORT", "8050")
    print(f"仪表板 / dashboard: make dashboard → http://{host}:{port}/ ；演示账户 / demo accounts: make users"
          f"（密码只在创建时显示 / passwords are shown once, when created）")
    if not success:
        print(f"失败的步骤见日志 / see the log for the failed step: {log}")


def cmd_status(args) -> int:
    from .warehouse.publish import current_snapshot
    snap = current_snapshot(data_paths().serving)
    if snap is None:
        print("尚无已发布快照 / no published snapshot yet")
        return 1
    print(json.dumps(snap.manifest, ensure_ascii=False, indent=2))
    return 0


def cmd_audit(args) -> int:
    """The latest validation run: exit 0 when publishable, 1 when a blocking check failed, 2 when none ran."""
    from .quality.audit import latest_audit, render
    from .warehouse.publish import current_snapshot
    paths = data_paths()
    summary = None
    for db in (paths.build_db, getattr(current_snapshot(paths.serving), "path", None)):
        if db is None or not db.exists():
            continue
        try:  # the build database is locked while a run writes it: then read the published snapshot
            with duckdb.connect(str(db), read_only=True) as con:
                summary = latest_audit(con)
            break
        except duckdb.IOException:
            continue
    if summary is None:
        print("尚无校验记录 / no validation has run yet")
        return 2
    print(render(summary))
    return 1 if summary.blocked else 0


def cmd_office(args) -> int:
    """A text plan as .docx (Word tables for the annexes) and .pdf: to try the Office readers."""
    from .synth.office import write_office_copies
    out = Path(args.out)
    for f in args.files:
        docx_path, pdf_path = write_office_copies(Path(f), out, data_paths().reference)
        print(f"{f} -> {docx_path}, {pdf_path}")
    return 0


def cmd_synth(args) -> int:
    """A synthetic province (test data, labelled 示例数据) as a data folder: plans, reference, inbox."""
    from .config import REPO_ROOT
    from .synth import write_corpus
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        print(f"目标目录不为空：{out} / the output folder is not empty", file=sys.stderr)
        return 2
    seeds = sorted((REPO_ROOT / "data" / "plans").iterdir())
    made = write_corpus(seeds, args.docs, REPO_ROOT / "data" / "reference", out)
    print(json.dumps(made, ensure_ascii=False))
    print(f"运行 / run it: PLANKPI_DATA={out} plankpi run")
    return 0


DEMO_ACCOUNTS = (("leader", "leader", None, None), ("auditor", "auditor", None, None),
                 ("admin", "admin", None, None), ("supervisor", "supervisor", None, None),
                 ("yq_sthjj", "unit", "阳泉市", "市生态环境局"), ("jc_sthjj", "unit", "晋城市", "市生态环境局"))


def cmd_users(args) -> int:
    """Accounts: add, disable, reset a password, list, or create the demo accounts (passwords shown once)."""
    import getpass
    from .accounts import AccountError, check_place, store_for
    paths = data_paths()
    store = store_for(paths.root)
    actor = f"cli:{getpass.getuser()}"
    try:
        if args.action == "add":
            check_place(paths.reference, args.role, args.region, args.unit)
            password = store.add(args.username, args.role, args.region, args.unit, actor=actor)
            print(f"已创建 / created {args.username}（{args.role}）密码 / password: {password}")
        elif args.action == "disable":
            store.disable(args.username, actor=actor)
            print(f"已停用 / disabled {args.username}")
        elif args.action == "reset":
            print(f"{args.username} 新密码 / new password: {store.reset(args.username, actor=actor)}")
        elif args.action == "role":
            store.change_role(args.username, args.role, args.region, args.unit, actor=actor)
            print(f"已改为 / now {args.role}: {args.username}（其会话已结束 / its sessions ended）")
        elif args.action == "list":
            for a in store.accounts():
                print(f"{a.username}\t{a.role}\t{a.region or ''}\t{a.unit or ''}\t{'停用 disabled' if a.disabled else ''}")
        elif args.action == "demo":
            for username, role, region, unit in DEMO_ACCOUNTS:
                if store.get(username) is not None:
                    print(f"演示账户 {username} 已存在（密码不再显示，可用 plankpi users reset {username}）/ "
                          f"demo account {username} exists")
                    continue
                password = store.add(username, role, region, unit, actor=actor)
                print(f"演示账户 / demo account: {username:<9} 角色 {role:<7} {region or ''}{unit or ''}  密码 / password: {password}")
    except AccountError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plankpi", description="PlanKPI 环保行动计划KPI工具")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="解析计划文本 / parse plan files")
    p.add_argument("files", nargs="*")
    p.add_argument("--json", action="store_true", help="print the extraction contract's JSON")
    p.add_argument("--report", metavar="DIR", help="逐文件报告 / per-document report of every plan file in DIR")
    p.set_defaults(func=cmd_parse)
    p = sub.add_parser("sample", help="生成示例填报数据 / write sample submissions into the inbox")
    p.set_defaults(func=cmd_sample)
    p = sub.add_parser("ingest", help="接收填报文件 / ingest submission files (and the inbox)")
    p.add_argument("files", nargs="*")
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("templates", help="生成各单位填报模板 / write one report template per unit")
    p.add_argument("--period", required=True, help="报告期 YYYY-MM")
    p.set_defaults(func=cmd_templates)
    p = sub.add_parser("bulletin", help="生成月度通报 Word 与 PDF / write the monthly bulletin (.docx and .pdf)")
    p.add_argument("--period", required=True, help="报告期 YYYY-MM")
    p.add_argument("--region", help="地区（默认全省）/ region; default: the province")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--template", help="通报模板 .docx（默认 bulletins/templates/月度通报.docx）/ the Word template")
    p.add_argument("--doc-no", help="文号，如 晋环督〔2024〕12号 / the document number")
    p.set_defaults(func=cmd_bulletin)
    p = sub.add_parser("run", help="运行全部资产 / materialise every asset through Dagster")
    p.add_argument("--ephemeral", dest="persist", action="store_false",
                   help="do not record the run in DAGSTER_HOME")
    p.add_argument("--job", default="all_assets_job",
                   choices=("all_assets_job", "publish_job", "submissions_job", "templates_job", "bulletin_job",
                            "reminders_job"),
                   help="默认全部 / default: everything; submissions_job: ingest the inbox and publish")
    p.add_argument("--wait", action="store_true",
                   help="另一次运行进行中时排队等待 / wait for a run in progress instead of stopping")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("reminders", help="催报：写入发件箱并发送邮件 / write today's reminders to the outbox (and mail them)")
    p.add_argument("--date", help="截至日期 YYYY-MM-DD（须为发布快照的日期）/ the as-of date (the published snapshot's)")
    p.set_defaults(func=cmd_reminders)
    p = sub.add_parser("audit", help="最近一次校验结果 / latest validation summary (exit 1 if blocking)")
    p.set_defaults(func=cmd_audit)
    p = sub.add_parser("office", help="把文本计划排成 .docx 与 .pdf（测试用）/ render text plans as .docx and .pdf")
    p.add_argument("files", nargs="+")
    p.add_argument("--out", required=True, help="output folder")
    p.set_defaults(func=cmd_office)
    p = sub.add_parser("synth", help="合成省级测试数据 / write a synthetic province (plans, reference, a year of submissions)")
    p.add_argument("--docs", type=int, required=True, help="计划文件数 / number of plan documents (5 ≈ the seeds)")
    p.add_argument("--out", required=True, help="a new data folder")
    p.set_defaults(func=cmd_synth)
    p = sub.add_parser("users", help="账户管理 / accounts: add, disable, reset, role, list, demo")
    p.add_argument("action", choices=("add", "disable", "reset", "role", "list", "demo"))
    p.add_argument("username", nargs="?")
    p.add_argument("--role", choices=ROLES)
    p.add_argument("--region")
    p.add_argument("--unit")
    p.set_defaults(func=cmd_users)
    p = sub.add_parser("status", help="当前发布快照 / the published snapshot's manifest")
    p.set_defaults(func=cmd_status)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
