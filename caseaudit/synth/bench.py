"""`make bench`: synthetic data at several sizes, page and document times with their SQL
query counts, and the service under load on the loopback interface, on one database.

    python -m caseaudit.synth.bench run --database sqlite --out var/bench/sqlite.json
    scripts/with-postgres python -m caseaudit.synth.bench run --database postgres --out ...
    python -m caseaudit.synth.bench report var/bench/*.json --out docs/benchmarks.md

Every step runs in a child process with a time limit; a step that runs out of time is
stopped and recorded as unfinished, and the bench carries on. Results are written after
every step. Load goes to 127.0.0.1 only, from threads in this process, for fixed times.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess  # nosec B404 # runs this project's own commands, never a shell
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from caseaudit.synth import load
from caseaudit.synth.report import write_report

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
HOST = "127.0.0.1"
THINK_SECONDS = (1.0, 3.0)
LOAD_PAGES = ("trivial", "return_form", "autosave", "case_view", "dashboard", "across")


def bench_environment(database_url: str) -> dict[str, str]:
    """The service as deployed, but on plain HTTP on the loopback interface: the demo
    environment (DEBUG off) with two-factor sign-in off, so the load generator's sessions
    need no second step (see docs/benchmarks.md)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CASEAUDIT_", "DJANGO_", "PYTEST"))
    }
    env.update(
        CASEAUDIT_ENVIRONMENT="demo",
        DATABASE_URL=database_url,
        DEBUG="false",
        REQUIRE_TWO_FACTOR="false",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


class Step:
    """A child process with a time limit, its output kept in a log file."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir

    def __call__(
        self, name: str, command: Sequence[str], env: dict[str, str], limit: float
    ) -> tuple[bool, float, str]:
        log = self.log_dir / f"{name}.log"
        started = time.perf_counter()
        with log.open("w") as output:
            try:
                subprocess.run(  # noqa: S603  # nosec B603 # our own command, no shell
                    list(command),
                    cwd=ROOT,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    timeout=limit,
                    check=True,
                )
                ok = True
            except subprocess.TimeoutExpired:
                ok = False
                output.write(f"\nstopped: still running after {limit:.0f} s\n")
            except subprocess.CalledProcessError as error:
                ok = False
                output.write(f"\nfailed with exit status {error.returncode}\n")
        seconds = time.perf_counter() - started
        return ok, seconds, log.read_text(errors="replace")


# Databases ------------------------------------------------------------------------------------


class SQLiteDatabases:
    vendor = "sqlite"

    def __init__(self, work: Path) -> None:
        self.work = work
        self.template = work / "template.sqlite3"

    def template_url(self) -> str:
        for stale in self.work.glob("*.sqlite3*"):
            stale.unlink()
        return f"sqlite:///{self.template}"

    def fresh(self, size: int) -> str:
        target = self.work / f"cases-{size}.sqlite3"
        for stale in self.work.glob(f"{target.name}*"):
            stale.unlink()
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"

    def version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version}"


class PostgresDatabases:
    """Databases on the cluster that scripts/with-postgres started: a migrated template, and a
    copy of it for each size."""

    vendor = "postgres"

    def __init__(self, url: str) -> None:
        self.server = url.rsplit("/", 1)[0]

    def _admin(self, *statements: str) -> list[Any]:
        import psycopg

        rows: list[Any] = []
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            for statement in statements:
                cursor = connection.execute(statement.encode())
                if cursor.description:
                    rows.extend(cursor.fetchall())
        return rows

    def template_url(self) -> str:
        self._admin(
            "DROP DATABASE IF EXISTS bench_template WITH (FORCE)", "CREATE DATABASE bench_template"
        )
        return f"{self.server}/bench_template"

    def fresh(self, size: int) -> str:
        name = f"bench_{size}"
        self._admin(
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            f"CREATE DATABASE {name} TEMPLATE bench_template",
        )
        return f"{self.server}/{name}"

    def version(self) -> str:
        rows = self._admin("SHOW server_version")
        return f"PostgreSQL {rows[0][0]}"


# The machine ----------------------------------------------------------------------------------


def _meminfo() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(databases: SQLiteDatabases | PostgresDatabases) -> dict[str, Any]:
    import django
    import gunicorn

    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory": _meminfo(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "database": databases.version(),
        "load_average_at_start": [round(n, 2) for n in os.getloadavg()],
    }


# The server under load ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """gunicorn on 127.0.0.1, sync workers, started and stopped by the bench."""

    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.log = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603  # nosec B603 # our own command, no shell
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait(self) -> bool:
        return load.wait_until_up(HOST, self.port, "/healthz", 60)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


def _users(page: str, targets: dict[str, Any], count: int) -> list[load.User]:
    """`count` simulated users for a page: auditors each on a return of their own for the
    form and autosave, the coordinator for the rest."""
    session = targets["session_cookie"]
    coordinator = {session: targets["coordinator_session"]}
    if page == "trivial_anonymous":
        return [load.User(targets["trivial"])] * count
    if page not in {"return_form", "autosave"}:
        path = targets["trivial" if page == "trivial_again" else page]
        return [load.User(path, coordinator)] * count
    users = []
    for index in range(count):
        form = targets["forms"][index % len(targets["forms"])]
        cookies = {session: form["session"]}
        if page == "return_form":
            users.append(load.User(form["path"], cookies))
            continue
        users.append(
            load.User(
                form["path"],
                {**cookies, targets["csrf_cookie"]: targets["csrf_token"]},
                form=form["fields"],
                text_field=form["text_field"],
                version=form["version"],
                csrf_token=targets["csrf_token"],
            )
        )
    return users


def load_test(
    targets: dict[str, Any], port: int, options: argparse.Namespace, save: Any
) -> dict[str, Any]:
    results: dict[str, Any] = {
        "workers": options.workers,
        "concurrency": options.concurrency,
        "thinking_users": options.users,
        "seconds": options.seconds,
        "think_seconds": options.think_seconds,
        "form_returns": len(targets["forms"]),
        "pages": {},
    }

    def users(page: str, count: int) -> list[load.User]:
        # Autosaves carry the return's version, which the previous run moved on.
        return [
            load.with_current_version(HOST, port, user) for user in _users(page, targets, count)
        ]

    # Every worker loads its templates and caches before anything is measured.
    for page in LOAD_PAGES:
        load.run(users(page, options.concurrency), host=HOST, port=port, seconds=options.warm_up)
    # The trivial view is measured first and last, so drift during the run shows.
    for page in (*LOAD_PAGES, "trivial_again", "trivial_anonymous"):
        saturated = load.run(
            users(page, options.concurrency), host=HOST, port=port, seconds=options.seconds
        )
        entry: dict[str, Any] = {"saturation": saturated.summary()}
        if page in LOAD_PAGES and options.think_seconds > 0:
            thinking = load.paced_run(
                users(page, options.users),
                host=HOST,
                port=port,
                seconds=options.think_seconds,
                think=THINK_SECONDS,
            )
            entry["thinking"] = thinking.summary()
        results["pages"][page] = entry
        save()
    return results


# The run --------------------------------------------------------------------------------------


COUNT_LINE = re.compile(r"^\s*([\d,]+)\s+([a-z_]+\.\w+)$")


def _counts(output: str) -> dict[str, int]:
    counts = {}
    for line in output.splitlines():
        found = COUNT_LINE.match(line)
        if found:
            counts[found.group(2)] = int(found.group(1).replace(",", ""))
    return counts


def run(options: argparse.Namespace) -> dict[str, Any]:
    out = Path(options.out)
    work = Path(options.work) / options.database
    work.mkdir(parents=True, exist_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    databases: SQLiteDatabases | PostgresDatabases
    if options.database == "sqlite":
        databases = SQLiteDatabases(work)
    else:
        databases = PostgresDatabases(os.environ.get("DATABASE_URL", ""))
    step = Step(work)
    results: dict[str, Any] = {
        "database": options.database,
        "machine": machine(databases),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "sizes": {},
        "load": {},
        "notes": [],
    }

    def save() -> None:
        out.write_text(json.dumps(results, indent=1))

    def note(text: str) -> None:
        print(text, flush=True)
        results["notes"].append(text)
        save()

    manage = [PYTHON, str(ROOT / "manage.py")]
    ok, seconds, _ = step(
        "migrate", [*manage, "migrate", "-v0"], bench_environment(databases.template_url()), 600
    )
    if not ok:
        note(f"migrate failed: see {work / 'migrate.log'}")
        return results
    sizes = sorted(options.sizes)
    load_sizes = set(options.load_sizes or sizes[-1:])
    for size in sizes:
        env = bench_environment(databases.fresh(size))
        entry: dict[str, Any] = {}
        results["sizes"][str(size)] = entry
        print(f"[{options.database}] {size:,} cases: synth", flush=True)
        limit = max(120.0, size * options.synth_seconds_per_case)
        ok, seconds, output = step(
            f"synth-{size}",
            [*manage, "synth", "--cases", str(size), "--seed", str(options.seed)],
            env,
            limit,
        )
        entry["synth_seconds"] = round(seconds, 1)
        entry["synth_finished"] = ok
        entry["counts"] = _counts(output)
        save()
        if not ok:
            note(f"{options.database}, {size:,} cases: synth did not finish within {limit:.0f} s")
            continue
        print(f"[{options.database}] {size:,} cases: pages and documents", flush=True)
        pages_file = work / f"pages-{size}.json"
        pages_file.unlink(missing_ok=True)
        limit = max(300.0, size * options.pages_seconds_per_case)
        command = [PYTHON, "-m", "caseaudit.synth.probe", "pages", str(pages_file)]
        if size <= options.every_programme_up_to:
            command.append("--everything")
        ok, seconds, _ = step(f"pages-{size}", command, env, limit)
        if pages_file.exists():
            entry.update(json.loads(pages_file.read_text()))
        entry["pages_finished"] = ok
        save()
        if not ok:
            note(
                f"{options.database}, {size:,} cases: pages and documents stopped after "
                f"{limit:.0f} s; the ones measured by then are reported"
            )
        if size in load_sizes:
            results["load"][str(size)] = measure_load(options, env, step, work, size, note, save)
            save()
    results["machine"]["load_average_at_end"] = [round(n, 2) for n in os.getloadavg()]
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    save()
    return results


def measure_load(
    options: argparse.Namespace,
    env: dict[str, str],
    step: Step,
    work: Path,
    size: int,
    note: Any,
    save: Any,
) -> dict[str, Any] | None:
    print(f"[{options.database}] {size:,} cases: load", flush=True)
    targets_file = work / "targets.json"
    ok, _, _ = step(
        "targets", [PYTHON, "-m", "caseaudit.synth.probe", "targets", str(targets_file)], env, 300
    )
    if not ok:
        note(f"{options.database}: could not prepare the load test (see targets.log)")
        return None
    targets = json.loads(targets_file.read_text())
    server = Server(env, options.workers, work / "gunicorn.log")
    try:
        if not server.wait():
            note(f"{options.database}: gunicorn did not start (see gunicorn.log)")
            return None
        results = load_test(targets, server.port, options, save)
    finally:
        server.stop()
    results["cases"] = size
    results["programme_cases"] = targets["programme_cases"]
    return results


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m caseaudit.synth.bench")
    commands = parser.add_subparsers(dest="command", required=True)
    bench = commands.add_parser("run", help="measure one database")
    bench.add_argument("--database", choices=("sqlite", "postgres"), required=True)
    bench.add_argument("--out", required=True, help="results file (JSON)")
    bench.add_argument("--work", default=str(ROOT / "var" / "bench"), help="databases and logs")
    bench.add_argument("--sizes", type=_sizes, default=[100, 1000, 10000])
    bench.add_argument(
        "--load-sizes", type=_sizes, default=[1000, 10000], help="sizes to load-test at"
    )
    bench.add_argument("--seed", type=int, default=1)
    bench.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    bench.add_argument("--concurrency", type=int, default=8, help="closed-loop users")
    bench.add_argument("--users", type=int, default=20, help="thinking users")
    bench.add_argument("--seconds", type=float, default=10, help="closed-loop run")
    bench.add_argument("--warm-up", type=float, default=3, help="seconds a page, unmeasured")
    bench.add_argument("--think-seconds", type=float, default=30, help="thinking-users run")
    bench.add_argument("--synth-seconds-per-case", type=float, default=0.03)
    bench.add_argument("--pages-seconds-per-case", type=float, default=0.09)
    bench.add_argument(
        "--every-programme-up-to",
        type=int,
        default=1000,
        help="also export every programme's answers up to this many cases",
    )
    report = commands.add_parser("report", help="write docs/benchmarks.md from results")
    report.add_argument("results", nargs="+")
    report.add_argument("--out", required=True)
    options = parser.parse_args(argv)
    # Stopped from outside: unwind, so the server and any running step are stopped too.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    if options.command == "run":
        run(options)
        return 0
    found = [json.loads(Path(name).read_text()) for name in options.results if Path(name).exists()]
    write_report(found, Path(options.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
