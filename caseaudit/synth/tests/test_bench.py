"""A quick check of the bench's moving parts: sessions made without signing in, wrk driven
against a live server (loopback, a second or two), and the report writer. The full
`make bench` is never part of the test suite."""

from datetime import date
from urllib.parse import urlsplit

import pytest

from caseaudit.audits.models import Return
from caseaudit.synth import load, probe
from caseaudit.synth.builder import build_partnership
from caseaudit.synth.report import BEGIN, END, write_report


@pytest.fixture
def server(live_server):
    port = urlsplit(live_server.url).port
    assert load.wait_until_up("127.0.0.1", port, "/healthz", 10)
    return port


def test_the_load_generator_refuses_any_address_off_this_machine():
    with pytest.raises(ValueError, match="loopback"):
        load.run([load.User("/healthz")], host="10.0.0.1", port=80, seconds=1)


def test_the_script_refuses_what_it_cannot_write_as_a_lua_string():
    with pytest.raises(ValueError, match="ASCII"):
        load.script([load.User("/caf\u00e9")])


def test_closed_loop_on_the_trivial_view(server):
    result = load.run([load.User("/healthz")] * 2, host="127.0.0.1", port=server, seconds=1)
    assert result.requests > 0
    assert result.statuses == {200: result.requests}
    assert result.errors == 0
    assert 0 < result.p50_ms <= result.p95_ms <= result.max_ms


def test_thinking_users_wait_between_requests(server):
    result = load.paced_run(
        [load.User("/healthz")] * 2, host="127.0.0.1", port=server, seconds=2, think=(0.5, 0.6)
    )
    # Two seconds of two users waiting about half a second each time: a handful of requests,
    # where a closed loop makes hundreds; and the wait is not in the latency.
    assert 4 <= result.requests <= 6
    assert result.statuses == {200: result.requests}
    assert result.p50_ms <= result.p95_ms <= result.max_ms < 500


def test_percentiles_are_nearest_rank():
    ordered = [float(n) for n in range(1, 21)]
    assert load.percentile(ordered, 50) == 10.0
    assert load.percentile(ordered, 95) == 19.0
    assert load.percentile(ordered, 100) == 20.0
    assert load.percentile([], 95) == 0.0


def test_signed_in_sessions_reach_the_return_form_and_autosave(transactional_db, server):
    build_partnership(12, seed=5, today=date(2026, 11, 23))
    target = probe.form_targets(1)[0]
    cookies = {"sessionid": target.session}
    page = load.run([load.User(target.path, cookies)], host="127.0.0.1", port=server, seconds=1)
    assert page.requests > 0 and page.statuses == {200: page.requests}

    token = "a" * 32
    saver = load.User(
        target.path,
        {**cookies, "csrftoken": token},
        form=target.fields,
        text_field=target.text_field,
        version=target.version,
        csrf_token=token,
    )
    saved = load.run([saver], host="127.0.0.1", port=server, seconds=1)
    assert saved.requests > 0 and saved.statuses == {200: saved.requests}
    ret = Return.objects.get(pk=int(target.path.split("/")[2]))
    # wrk stops with one save still on its way, which may land after it has counted.
    assert ret.version - target.version in {saved.requests, saved.requests + 1}
    answer = ret.answers.get(item_key=target.text_field.removesuffix("-text"))
    assert answer.text.startswith("Seen in the record. Draft")

    # A second run starts from the version the first left, as a reloaded page would.
    again = load.with_current_version("127.0.0.1", server, saver)
    ret.refresh_from_db()
    assert again.version == ret.version > target.version
    thinking = load.paced_run([again], host="127.0.0.1", port=server, seconds=1, think=(0.1, 0.2))
    assert thinking.requests > 0 and thinking.statuses == {200: thinking.requests}


def _results(database: str) -> dict:
    page = {"ms": 120.0, "runs_ms": [120.0], "queries": 7, "status": 200}
    saturated = {"rate": 50.0, "p50_ms": 20.0, "p95_ms": 40.0, "errors": 0}
    thinking = {"rate": 5.0, "p50_ms": 10.0, "p95_ms": 30.0, "errors": 0}
    return {
        "database": database,
        "machine": {"cores": 2, "load_average_at_start": [0.1, 0.2, 0.3]},
        "started": "2026-11-23T10:00:00+00:00",
        "finished": "2026-11-23T10:30:00+00:00",
        "sizes": {
            "100": {
                "synth_seconds": 1.5,
                "synth_finished": True,
                "counts": {"audits.Answer": 18000},
                "pages": {"dashboard": page, "inspection_pack": page},
                "subjects": {"programme_cases": 6},
            },
            "1000": {
                "synth_seconds": 12.0,
                "synth_finished": True,
                "counts": {"audits.Answer": 180000},
                "pages": {"dashboard": {**page, "queries": 9}},
            },
        },
        "load": {
            "1000": {
                "cases": 1000,
                "programme_cases": 50,
                "workers": 4,
                "concurrency": 8,
                "thinking_users": 20,
                "seconds": 10,
                "think_seconds": 30,
                "pages": {
                    "trivial": {"saturation": {**saturated, "rate": 100.0}, "thinking": thinking},
                    "return_form": {"saturation": saturated, "thinking": thinking},
                },
            }
        },
        "notes": ["10,000 cases: synth did not finish within 300 s"],
    }


def test_the_report_keeps_what_was_written_by_hand(tmp_path):
    page = tmp_path / "benchmarks.md"
    page.write_text(
        f"# Benchmarks\n\nHow it works.\n\n{BEGIN}\nold\n{END}\n\n## Findings\n\nKept.\n"
    )
    write_report([_results("postgres"), _results("sqlite")], page)
    text = page.read_text()
    assert "How it works." in text and "## Findings\n\nKept." in text
    assert "old" not in text
    assert text.index("SQLite run") < text.index("PostgreSQL run")
    assert "| Return form page | 50.0 | 40.0 ms | 50% | 10.0 ms | 30.0 ms | 0 |" in text
    assert (
        "| Return form: p95 under 50 ms with 20 thinking users (1,000 cases) | met (30.0 ms) |"
        in text
    )
    assert "met (lowest: return form page, 50%)" in text
    assert "**missed** (programme dashboard)" in text  # 7 queries, then 9
    assert "did not finish within 300 s" in text
