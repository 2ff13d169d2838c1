"""The load generator of `make bench`: wrk (Debian's package), with a Lua script written for
each run, against the loopback interface only.

Two ways of asking:
* a *closed loop* (`run`): each user sends its next request as soon as the last one is
  answered, so the server is saturated and the rate is its throughput. Every wrk thread has
  one connection and is one simulated user with its own session.
* *thinking users* (`paced_run`): each waits one to three seconds between requests, as an
  auditor typing would, and connects only when it has something to send, as a reverse proxy
  delivers requests. wrk cannot do this: after a response with `Connection: close` (gunicorn's
  sync workers close every connection) it reconnects at once, and the idle connection holds
  a sync worker for the whole thinking time. So thinking users are threads of the bench; at
  a few requests a second they take next to no CPU.
"""

import http.client
import ipaddress
import json
import math
import random
import re
import shutil
import subprocess  # nosec B404 # runs wrk, never a shell
import threading
import time
import urllib.parse
from dataclasses import dataclass, field, replace
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

WRK = "wrk"
TIMEOUT_SECONDS = 30
SETTLE_SECONDS = 2  # for the requests wrk leaves on their way when it stops
RESULT_PREFIX = "BENCH_RESULT "
VERSION_FIELD = re.compile(rb'name="version" id="version" value="(\d+)"')


@dataclass(frozen=True)
class User:
    """One simulated user. With `form`, an auditor typing into one part of their return: each
    request is an autosave (an htmx POST of the whole part, as the page sends it) with one
    answer's text changed and the version the previous save returned."""

    path: str
    cookies: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] | None = None
    text_field: str = ""
    version: int = 0
    csrf_token: str = ""


@dataclass
class Result:
    seconds: float
    requests: int
    statuses: dict[int, int]
    socket_errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    users: int

    @property
    def errors(self) -> int:
        return self.socket_errors + sum(n for status, n in self.statuses.items() if status >= 400)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "users": self.users,
            "seconds": round(self.seconds, 2),
            "requests": self.requests,
            "errors": self.errors,
            "statuses": {str(status): n for status, n in sorted(self.statuses.items())},
            "rate": round(self.rate, 1),
            "p50_ms": round(self.p50_ms, 1),
            "p95_ms": round(self.p95_ms, 1),
            "p99_ms": round(self.p99_ms, 1),
            "max_ms": round(self.max_ms, 1),
        }


def check_loopback(host: str) -> None:
    """Load is only ever sent to this machine."""
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"{host} is not a loopback address: the bench sends load to 127.0.0.1")


def _lua(value: Any) -> str:
    """A Lua literal for a string, number or table of them (the values are ASCII: paths,
    cookies and URL-encoded bodies)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        if not value.isascii():
            raise ValueError(f"not ASCII: {value!r}")
        return json.dumps(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    raise TypeError(f"no Lua literal for {type(value).__name__}")


def _user_table(user: User) -> dict[str, Any]:
    headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in user.cookies.items())}
    table: dict[str, Any] = {"path": user.path, "headers": headers}
    if user.form is not None:
        headers.update(
            {
                "X-CSRFToken": user.csrf_token,
                "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded",
            }
        )
        fields = {k: v for k, v in user.form.items() if k not in {user.text_field, "version"}}
        table.update(
            form=urllib.parse.urlencode(fields),
            text_field=urllib.parse.quote_plus(user.text_field),
            version=str(user.version),
        )
    return table


SCRIPT = """
local users = %(users)s
local threads = {}
local started = 0

function setup(thread)
  started = started + 1
  thread:set("index", started)
  table.insert(threads, thread)
end

statuses = {}
local user, version, saves

function init(args)
  user = users[((index - 1) %% #users) + 1]
  version = user.version
  saves = 0
end

function request()
  if user.form then
    saves = saves + 1
    local body = user.form .. "&" .. user.text_field .. "=Seen+in+the+record.+Draft+" .. saves
      .. "&version=" .. version
    return wrk.format("POST", user.path, user.headers, body)
  end
  return wrk.format("GET", user.path, user.headers)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if user.form then
    local found = body:match('name="version" id="version" value="(%%d+)"')
    if found then version = found end
  end
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local counted = {}
  for status, n in pairs(merged) do
    table.insert(counted, string.format('"%%d": %%d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    '%(prefix)s{"duration_us": %%d, "requests": %%d, "socket_errors": %%d, "p50_us": %%d, '
      .. '"p95_us": %%d, "p99_us": %%d, "max_us": %%d, "statuses": {%%s}}\\n',
    summary.duration, summary.requests, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(counted, ", ")))
end
"""


def script(users: list[User]) -> str:
    return SCRIPT % {"users": _lua([_user_table(user) for user in users]), "prefix": RESULT_PREFIX}


def parse(output: str, users: int) -> Result:
    for line in output.splitlines():
        if line.startswith(RESULT_PREFIX):
            data = json.loads(line.removeprefix(RESULT_PREFIX))
            return Result(
                seconds=data["duration_us"] / 1e6,
                requests=data["requests"],
                statuses={int(k): v for k, v in data["statuses"].items()},
                socket_errors=data["socket_errors"],
                p50_ms=data["p50_us"] / 1000,
                p95_ms=data["p95_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                max_ms=data["max_us"] / 1000,
                users=users,
            )
    raise RuntimeError(f"wrk printed no result:\n{output[-2000:]}")


def percentile(ordered: list[float], p: float) -> float:
    """The nearest-rank percentile of sorted values."""
    if not ordered:
        return 0.0
    rank = math.ceil(len(ordered) * p / 100)
    return ordered[min(len(ordered), max(rank, 1)) - 1]


def run(users: list[User], *, host: str, port: int, seconds: float) -> Result:
    """A closed loop: wrk for `seconds`, one thread and one connection a user."""
    check_loopback(host)
    wrk = shutil.which(WRK)
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian package `wrk`; `make bench` installs it)")
    with TemporaryDirectory() as work:
        lua = Path(work) / "bench.lua"
        lua.write_text(script(users))
        finished = subprocess.run(  # noqa: S603  # nosec B603 # wrk, no shell
            [
                wrk,
                f"--threads={len(users)}",
                f"--connections={len(users)}",
                f"--duration={max(1, round(seconds))}s",
                f"--timeout={TIMEOUT_SECONDS}s",
                f"--script={lua}",
                f"http://{host}:{port}/",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + TIMEOUT_SECONDS + 30,
            check=True,
        )
    # An autosave still on its way would move the version on after the next run has read it.
    time.sleep(SETTLE_SECONDS)
    return parse(finished.stdout, len(users))


Plain = tuple[str, str, bytes | None, dict[str, str]]  # method, path, body, headers


def _send(host: str, port: int, request: Plain) -> tuple[int, bytes]:
    method, path, body, headers = request
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _request(user: User, table: dict[str, Any], version: int, saves: int) -> Plain:
    """The request the Lua script's `request()` makes, for a user's `_user_table`."""
    if user.form is None:
        return "GET", user.path, None, table["headers"]
    body = (
        f"{table['form']}&{table['text_field']}=Seen+in+the+record.+Draft+{saves}&version={version}"
    )
    return "POST", user.path, body.encode(), table["headers"]


def paced_run(
    users: list[User],
    *,
    host: str,
    port: int,
    seconds: float,
    think: tuple[float, float],
    seed: int = 1,
) -> Result:
    """Thinking users, a thread each, for `seconds`: a random wait, then one request on a
    connection of its own. Only requests that finish within the run are counted."""
    check_loopback(host)
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    socket_errors = [0]
    lock = threading.Lock()

    def simulate(index: int, user: User) -> None:
        rng = random.Random(seed * 1000 + index)  # noqa: S311  # nosec B311 # think times
        table = _user_table(user)
        version, saves = user.version, 0
        while True:
            pause = rng.uniform(*think)
            if time.perf_counter() + pause >= deadline:
                return
            time.sleep(pause)
            saves += 1
            began = time.perf_counter()
            try:
                status, body = _send(host, port, _request(user, table, version, saves))
            except (OSError, http.client.HTTPException):
                with lock:
                    socket_errors[0] += 1
                continue
            ended = time.perf_counter()
            found = VERSION_FIELD.search(body)
            if user.form is not None and found:
                version = int(found.group(1))
            if ended <= deadline:
                with lock:
                    latencies.append((ended - began) * 1000)
                    statuses[status] = statuses.get(status, 0) + 1

    threads = [
        threading.Thread(target=simulate, args=(index, user), daemon=True)
        for index, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT_SECONDS + 5)
    ordered = sorted(latencies)
    return Result(
        seconds=seconds,
        requests=len(ordered),
        statuses=statuses,
        socket_errors=socket_errors[0],
        p50_ms=percentile(ordered, 50),
        p95_ms=percentile(ordered, 95),
        p99_ms=percentile(ordered, 99),
        max_ms=ordered[-1] if ordered else 0.0,
        users=len(users),
    )


def _get(host: str, port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    return _send(host, port, ("GET", path, None, headers))


def with_current_version(host: str, port: int, user: User) -> User:
    """An autosaving user with the version its return has now, read from the form page as
    the browser would have it."""
    if user.form is None:
        return user
    check_loopback(host)
    cookie = "; ".join(f"{name}={value}" for name, value in user.cookies.items())
    status, body = _get(host, port, user.path, {"Cookie": cookie})
    found = VERSION_FIELD.search(body)
    if status != 200 or not found:
        raise RuntimeError(f"{user.path} answered {status} without the return's version")
    return replace(user, version=int(found.group(1)))


def wait_until_up(host: str, port: int, path: str, seconds: float) -> bool:
    """Poll the server until it answers 200, for at most `seconds`."""
    check_loopback(host)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _get(host, port, path, {})[0] == 200:
                return True
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    return False
