"""The Prefect nightly flow itself, end to end, against the demo fixture server (slow: it starts
Prefect's ephemeral server in the tmp PREFECT_HOME set by conftest)."""

from __future__ import annotations

import pytest

from analysis.classify import LABELS
from mentions.demo import write_demo_profile
from mentions.demo.server import FixtureServer
from warehouse import connect_read_only


@pytest.mark.slow
def test_nightly_flow_end_to_end(tmp_path, monkeypatch, prefect_home):
    assert prefect_home  # a tmp PREFECT_HOME, never the developer's own Prefect
    for name in ("MENTIONS_DB_PATH", "MENTIONS_REDDIT_CLIENT_ID", "MENTIONS_REDDIT_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    from flows.nightly import nightly

    db = tmp_path / "demo.duckdb"
    with FixtureServer() as base_url:
        profile = write_demo_profile(base_url, tmp_path / "school.demo.toml")
        first = nightly(config=str(profile), db=str(db))
        second = nightly(config=str(profile), db=str(db))

    assert first["status"] == "partial"  # two demo feeds are broken on purpose
    assert first["new_posts"] >= 3
    assert {"rss:Moved feed", "rss:Council news"} <= set(first["failed_sources"])
    assert second["new_posts"] == 0

    with connect_read_only(db) as con:
        labels = dict(con.execute("select label, count(*) from v_mentions group by 1").fetchall())
        posts = con.execute("select count(*), count(distinct post_key) from posts").fetchall()
        dhl = con.execute("select count(*) from posts where url like '%dhl%'").fetchall()
        runs = con.execute("select run_id, flow, status from runs order by started").fetchall()
        failed = con.execute(
            "select source, http_status, error from source_runs "
            "where run_id = ? and status = 'failed' order by source",
            [first["run_id"]],
        ).fetchall()
    assert set(labels) == set(LABELS), labels
    assert sum(labels.values()) == first["new_posts"]
    assert posts[0][0] == posts[0][1] == first["new_posts"]  # the second run added nothing
    assert dhl == [(0,)]  # the courier story is excluded
    assert [(r[1], r[2]) for r in runs] == [("nightly", "partial"), ("nightly", "partial")]
    assert runs[0][0] == first["run_id"] and runs[1][0] == second["run_id"]
    by_source = {s: (status, err) for s, status, err in failed}
    assert by_source["rss:Council news"][0] == 500
    assert by_source["rss:Moved feed"][1].startswith("rss:Moved feed:")
