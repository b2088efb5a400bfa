import sqlalchemy as sa

from enforcement.notices.models import Notice, NoticeCheck

NOTICES = (
    "notice_id,url,ip,notice_sent_at,content_hash\n"
    "a,https://files.example.test/a.jpg,192.0.2.10,2026-03-01T10:00:00+00:00,h1\n"
    "b,https://files.example.test/b.jpg,192.0.2.11,2026-03-01T10:00:00+00:00,h2\n"
)


def checks_csv(tmp_path, rows, name="checks.csv"):
    path = tmp_path / name
    path.write_text("notice_id,checked_at,online,content_hash\n" + "\n".join(rows) + "\n")
    return path


def hourly(notice_id: str, pattern: str, start_hour: int = 11, digest: str = "") -> list[str]:
    return [
        f"{notice_id},2026-03-01T{start_hour + i:02d}:00:00+00:00,"
        f"{'true' if mark == '+' else 'false'},{digest}"
        for i, mark in enumerate(pattern)
    ]


def setup_notices(runner, tmp_path):
    path = tmp_path / "notices.csv"
    path.write_text(NOTICES)
    assert runner.invoke(args=["notices", "import", str(path)]).exit_code == 0


def import_checks(runner, path, *args):
    return runner.invoke(args=["notices", "import", str(path), "--checks", *args])


def state(session, external_id):
    session.expire_all()
    notice = session.scalar(sa.select(Notice).where(Notice.external_id == external_id))
    return notice.offline_at, notice.reappeared_at


def test_check_log_sets_offline_at_by_the_three_failure_rule(runner, session, tmp_path,
                                                            two_hosters):  # fmt: skip
    setup_notices(runner, tmp_path)
    rows = hourly("a", "+---") + hourly("b", "+--")
    result = import_checks(runner, checks_csv(tmp_path, rows))
    assert result.exit_code == 0, result.output
    offline, reappeared = state(session, "a")
    assert offline.isoformat() == "2026-03-01T12:00:00+00:00" and reappeared is None
    assert state(session, "b") == (None, None)  # two failures are not enough yet


def test_a_log_in_pieces_gives_the_same_answer(runner, session, tmp_path, two_hosters):
    setup_notices(runner, tmp_path)
    rows = hourly("a", "+--") + hourly("a", "-+", start_hour=14)
    import_checks(runner, checks_csv(tmp_path, rows[:2], name="one.csv"))
    import_checks(runner, checks_csv(tmp_path, rows[2:], name="two.csv"))
    offline, reappeared = state(session, "a")
    assert offline is None  # back online at 15:00
    assert reappeared.isoformat() == "2026-03-01T15:00:00+00:00"


def test_a_changed_hash_is_offline_at_once(runner, session, tmp_path, two_hosters):
    setup_notices(runner, tmp_path)
    rows = hourly("a", "+", digest="h1") + hourly("a", "+", start_hour=12, digest="other")
    import_checks(runner, checks_csv(tmp_path, rows))
    offline, _ = state(session, "a")
    assert offline.isoformat() == "2026-03-01T12:00:00+00:00"


def test_repeated_checks_are_stored_once_and_change_nothing(runner, session, tmp_path,
                                                           two_hosters):  # fmt: skip
    setup_notices(runner, tmp_path)
    path = checks_csv(tmp_path, hourly("a", "+---"))
    assert import_checks(runner, path).exit_code == 0
    again = import_checks(runner, path)
    assert "0 updated, 1 unchanged" in again.output
    assert session.scalar(sa.select(sa.func.count(NoticeCheck.id))) == 4


def test_unknown_notice_and_bad_flag_are_errors(runner, session, tmp_path, two_hosters):
    setup_notices(runner, tmp_path)
    rows = [*hourly("a", "+---"), "zzz,2026-03-01T11:00:00+00:00,false,",
            "a,2026-03-01T20:00:00+00:00,maybe,", "a,2026-03-01T09:00:00+00:00,true,"]  # fmt: skip
    result = import_checks(runner, checks_csv(tmp_path, rows))
    assert result.exit_code == 1
    assert "row 6, column notice_id: no notice with this id from source hotline" in result.output
    assert "row 7, column online: is not true or false" in result.output
    assert "row 8, column checked_at: is before the notice was sent" in result.output
    assert session.scalar(sa.select(sa.func.count(NoticeCheck.id))) == 0
    assert state(session, "a") == (None, None)
