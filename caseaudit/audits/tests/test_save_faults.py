"""Faults in the middle of saving a return: the database connection killed (PostgreSQL), the
disk full (SQLite), and two people saving at once. Nothing is half-saved, no change lands
without its history row, and the person sees a clear error with their text still there."""

import threading
import time

import pytest
from django.db import connection

from caseaudit.activity.models import Change
from caseaudit.audits import actions
from caseaudit.audits.items import parts_for
from caseaudit.audits.models import Answer, Return, ReturnStatus
from caseaudit.audits.tests.factories import make_case, make_programme, make_return
from caseaudit.audits.tests.returns import complete_values, post_data

ON_POSTGRESQL = connection.vendor == "postgresql"
PART = "section-assessment"
TYPED = "My careful words about the assessment, typed for an hour"


@pytest.fixture
def ret(health, health_auditor, childrens_social_care) -> Return:
    case = make_case(make_programme(), referring_agency=None)
    return make_return(case, health, auditor=health_auditor)


def _typed_data(ret: Return, *, long_text: str = "") -> dict[str, str]:
    data = post_data(ret, PART)
    text_fields = [name for name in data if name.endswith("-text")]
    data[text_fields[0]] = TYPED
    if long_text:
        data[text_fields[-1]] = long_text
    return data


def _fault_once_the_answers_are_written(monkeypatch, fault) -> list[str]:
    """Call `fault()` once, after the answers are written and before their history rows."""
    real = Change.objects.bulk_create
    faulted: list[str] = []

    def bulk_create(changes, *args, **kwargs):
        if not faulted and any("." in change.field for change in changes):
            faulted.append(changes[0].field)
            fault()
        return real(changes, *args, **kwargs)

    monkeypatch.setattr(Change.objects, "bulk_create", bulk_create)
    return faulted


def _assert_nothing_saved_and_text_shown(response, ret: Return) -> None:
    assert response.status_code == 503
    html = response.content.decode()
    assert "Your answers were not saved" in html
    assert TYPED in html, "the typed text comes back in the form"
    connection.close()  # whatever the fault did to the connection, read with a fresh one
    assert not Answer.objects.filter(ret=ret).exists(), "no half-saved return"
    assert not Change.objects.filter(object_type="audits.return", object_id=ret.pk).exists()
    ret.refresh_from_db()
    assert (ret.version, ret.status) == (1, ReturnStatus.NOT_STARTED)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_terminate_backend is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_mid_save_leaves_nothing_half_saved(
    monkeypatch, client_for, health_auditor, ret, caplog
) -> None:
    import psycopg

    client = client_for(health_auditor)
    settings = connection.settings_dict

    def kill_this_connection() -> None:
        pid = connection.connection.info.backend_pid
        with psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"],
            user=settings["USER"],
            password=settings["PASSWORD"],
            dbname=settings["NAME"],
            autocommit=True,
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])

    faulted = _fault_once_the_answers_are_written(monkeypatch, kill_this_connection)
    response = client.post(f"/returns/{ret.pk}/{PART}/", _typed_data(ret))
    assert faulted, "the fault was injected"
    _assert_nothing_saved_and_text_shown(response, ret)
    assert TYPED not in caplog.text, "the log names the fault, never the text"


@pytest.mark.skipif(ON_POSTGRESQL, reason="PRAGMA max_page_count is SQLite's")
@pytest.mark.django_db(transaction=True)
def test_a_full_disk_mid_save_leaves_nothing_half_saved(
    monkeypatch, client_for, health_auditor, ret, caplog
) -> None:
    client = client_for(health_auditor)

    def fill_the_disk() -> None:
        with connection.cursor() as cursor:
            # SQLite reuses free pages before it grows the file: use them up first (inside the
            # save's transaction, so they are given back with it), then stop the file growing.
            cursor.execute("PRAGMA freelist_count")
            (free,) = cursor.fetchone()
            if free:
                cursor.execute("PRAGMA page_size")
                (page_size,) = cursor.fetchone()
                cursor.execute("CREATE TABLE disk_filler (b BLOB)")
                cursor.execute("INSERT INTO disk_filler VALUES (zeroblob(%s))", [free * page_size])
            cursor.execute("PRAGMA page_count")
            (pages,) = cursor.fetchone()
            cursor.execute(f"PRAGMA max_page_count = {pages}")

    faulted = _fault_once_the_answers_are_written(monkeypatch, fill_the_disk)
    try:
        # The history rows carry the long answer and need new pages: the database is "full".
        response = client.post(
            f"/returns/{ret.pk}/{PART}/", _typed_data(ret, long_text="x" * 15_000)
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")
    assert faulted
    _assert_nothing_saved_and_text_shown(response, ret)
    assert TYPED not in caplog.text
    assert "disk_filler" not in connection.introspection.table_names()


@pytest.mark.django_db
def test_an_autosave_that_fails_says_so_and_keeps_the_page(
    monkeypatch, client_for, health_auditor, ret
) -> None:
    from django.db import OperationalError

    def fail(*args, **kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(actions, "save_answers", fail)
    response = client_for(health_auditor).post(
        f"/returns/{ret.pk}/{PART}/", _typed_data(ret), headers={"HX-Request": "true"}
    )
    assert response.status_code == 503
    assert "Your answers were not saved" in response.content.decode()


# Two people saving at once -------------------------------------------------------------------


@pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="SQLite has no row locks: its write transactions (BEGIN IMMEDIATE) take the whole "
    "database in turn, so two saves never overlap there",
)
@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_overlapping_saves_waits_for_the_first_then_is_refused(
    monkeypatch, health_auditor, ret
) -> None:
    part = next(p for p in parts_for(ret) if p.slug == PART)
    item = part.applicable_items[0]
    first_holds_lock = threading.Event()
    outcome: dict[str, object] = {}
    real = Change.objects.bulk_create

    def bulk_create(changes, *args, **kwargs):
        # The first save has written its answers, inside its transaction: hold it there.
        first = threading.current_thread().name == "first"
        if first and not first_holds_lock.is_set():
            first_holds_lock.set()
            outcome["second_waited"] = _wait_for_a_lock_wait()
        return real(changes, *args, **kwargs)

    monkeypatch.setattr(Change.objects, "bulk_create", bulk_create)

    def save(name: str, text: str) -> None:
        try:
            copy = Return.objects.select_related("case__programme", "agency").get(pk=ret.pk)
            actions.save_answers(
                copy,
                part,
                {item.key: {**complete_values(item), "text": text}},
                by=health_auditor,
                expected_version=1,
            )
            outcome[name] = "saved"
        except actions.StaleReturn:
            outcome[name] = "stale"
        except Exception as error:
            outcome[name] = repr(error)
            raise
        finally:
            connection.close()

    first = threading.Thread(target=save, args=("first", "First words"), name="first")
    second = threading.Thread(target=save, args=("second", "Second words"), name="second")
    first.start()
    assert first_holds_lock.wait(10)
    second.start()
    first.join(20)
    second.join(20)

    assert outcome.get("second_waited"), (
        f"the second save waited on the first one's row lock: {outcome}"
    )
    assert (outcome["first"], outcome["second"]) == ("saved", "stale")
    ret.refresh_from_db()
    assert ret.version == 2
    assert Answer.objects.get(ret=ret, item_key=item.key).text == "First words"
    assert not Change.objects.filter(new_value="Second words").exists()
    status_rows = Change.objects.filter(object_id=ret.pk, field="status")
    assert status_rows.count() == 1, "the refused save's history row was rolled back too"


def _wait_for_a_lock_wait(timeout: float = 10) -> bool:
    """From the first save's transaction: wait until another session waits on a lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Statistics are a snapshot per transaction: take a new one each time.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False
