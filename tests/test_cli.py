"""The `mentions` command line: demo and run as real subprocesses, classify and query in-process
(typer's CliRunner) for speed."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis.classify import LABELS
from mentions import pipeline
from mentions.cli import app
from scrapers.base import build_sources, safe_fetch
from warehouse import connect_read_only

RSS_TYPE = "application/rss+xml; charset=utf-8"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MENTIONS_") and k not in ("COLUMNS", "LINES")
    }
    return {**env, **extra}


# -- demo and run (subprocesses) ---------------------------------------------------------------


@pytest.mark.slow
def test_demo_subprocess(tmp_path, mentions_script, prefect_home):
    db = tmp_path / "demo" / "mentions.duckdb"
    proc = subprocess.run(
        [*mentions_script, "demo", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
        env=clean_env(PREFECT_HOME=prefect_home),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    # the path is printed whole on one line, so it can be copied
    assert any(str(db.resolve()) in line for line in proc.stdout.splitlines()), proc.stdout
    with connect_read_only(db) as con:
        labels = {r[0] for r in con.execute("select distinct label from v_mentions").fetchall()}
    assert labels == set(LABELS)


def test_run_with_missing_config_is_one_clear_line(tmp_path, mentions_script):
    missing = tmp_path / "no-such-dir-with-a-rather-long-name" / "missing-school-profile.toml"
    proc = subprocess.run(
        [*mentions_script, "run", "--config", str(missing)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=clean_env(),
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert str(missing) in lines[0]
    assert "not found" in lines[0]


def test_run_with_a_bad_profile_names_the_key(tmp_path, runner):
    profile = tmp_path / "school.toml"
    profile.write_text('[school]\nname = "X"\naliases = ["X"]\n[htttp]\ntimeout_seconds = 1\n')
    result = runner.invoke(app, ["run", "--config", str(profile)])
    assert result.exit_code == 2
    out = " ".join((result.stdout + result.stderr).split())
    assert "htttp" in out
    assert "school.toml" in out
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- classify ---------------------------------------------------------------------------------


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


SAMPLES = [
    ("Open evening", "Is Darul Hadis Latifiah having an open evening this term?"),
    ("Disgusting", "Those idiots at the school are fucking scum."),
    ("#journorequest", "Reporter at the Gazette looking for case studies, for comment by 5pm."),
    ("Multi\nline", 'A "quoted", comma, and\nnewline, café ✓'),
]


def test_classify_keeps_columns_and_adds_labels(tmp_path, runner):
    n = 2000
    rows = [
        {"id": str(i), "headline": SAMPLES[i % 4][0], "body": SAMPLES[i % 4][1], "note": f"n{i}"}
        for i in range(n)
    ]
    src = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        [
            "classify",
            str(src),
            "-o",
            str(out),
            "--text-column",
            "body",
            "--title-column",
            "headline",
        ],
    )
    assert result.exit_code == 0, result.output
    got = read_csv(out)
    assert len(got) == n
    assert list(got[0]) == [
        "id",
        "headline",
        "body",
        "note",
        "label",
        "subreason",
        "confidence",
        "explanation",
    ]
    for i, row in enumerate(got):
        assert (row["id"], row["headline"], row["body"], row["note"]) == (
            rows[i]["id"],
            rows[i]["headline"],
            rows[i]["body"],
            rows[i]["note"],
        )
        assert row["label"] in LABELS
        assert 0.0 <= float(row["confidence"]) <= 1.0
        assert row["explanation"]
        assert (row["subreason"] != "") == (row["label"] == "inappropriate")
    assert got[1]["label"] == "inappropriate"
    assert got[2]["label"] == "media_enquiry"
    # the summary counts CSV rows, not physical lines (one sample has a newline in a field)
    assert f"({n} rows)" in " ".join(result.stdout.split())


def test_classify_default_text_column_and_no_title(tmp_path, runner):
    src = write_csv(tmp_path / "in.csv", [{"text": "Darul Hadis Latifiah won the quiz."}])
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["classify", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    (row,) = read_csv(out)
    assert row["text"] == "Darul Hadis Latifiah won the quiz."
    assert row["label"] in LABELS


@pytest.mark.parametrize("option", ["--text-column", "--title-column"])
def test_classify_bad_column_is_exit_2_with_a_clear_message(tmp_path, runner, option):
    src = write_csv(tmp_path / "in.csv", [{"headline": "h", "body": "b"}])
    out = tmp_path / "out.csv"
    args = ["classify", str(src), "-o", str(out), "--text-column", "body", option, "bodyy"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "no column 'bodyy'" in message
    assert "headline, body" in message  # says which columns there are
    assert "Traceback" not in result.output


def test_classify_missing_input_file(tmp_path, runner):
    result = runner.invoke(app, ["classify", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "nope.csv" in " ".join(result.output.split())


# -- query ---------------------------------------------------------------------------------------


@pytest.fixture
def built_db(settings, httpserver, feed_bytes) -> Path:
    """A warehouse built by the pipeline from one local feed."""
    items = [
        {"title": "Darul Hadis Latifiah wins award", "link": "https://n.example/award"},
        {
            "title": "#journorequest Darul Hadith Latifiah",
            "link": "https://n.example/journo",
            "description": "Reporter looking for case studies, for comment by 5pm.",
        },
        {"title": "Weather", "link": "https://n.example/weather"},
        # feed text is not console markup: "[/rant]" once crashed the table output
        {"title": "Latifiah school [/rant] [bold]really", "link": "https://n.example/rant"},
    ]
    httpserver.expect_request("/f.xml").respond_with_data(feed_bytes(items), content_type=RSS_TYPE)
    s = settings([("F", httpserver.url_for("/f.xml"))])
    run_id = str(uuid.uuid4())
    states = pipeline.begin_run(s, run_id, "nightly")
    results = [safe_fetch(src, states.get(src.name, {})) for src in build_sources(s)]
    pipeline.store(s, run_id, results, pipeline.analyse(s, results))
    return s.database.path


def test_query_csv(built_db, runner):
    result = runner.invoke(
        app,
        [
            "query",
            "select url, label from v_mentions order by url",
            "--db",
            str(built_db),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(result.stdout.splitlines()))
    assert rows[0] == ["url", "label"]
    assert [r[0] for r in rows[1:]] == [
        "https://n.example/award",
        "https://n.example/journo",
        "https://n.example/rant",
    ]
    assert all(r[1] in LABELS for r in rows[1:])


def test_query_json(built_db, runner):
    result = runner.invoke(
        app,
        [
            "query",
            "select url, published, matched_terms from v_mentions order by url",
            "--db",
            str(built_db),
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["url"] for d in data] == [
        "https://n.example/award",
        "https://n.example/journo",
        "https://n.example/rant",
    ]
    assert data[0]["matched_terms"] == ["Darul Hadis Latifiah", "Latifiah"]
    assert data[0]["published"].startswith("2026-11-20")


def test_query_table_default(built_db, runner):
    result = runner.invoke(app, ["query", "select count(*) as n from posts", "--db", str(built_db)])
    assert result.exit_code == 0, result.output
    assert "3" in result.stdout


def test_query_table_shows_feed_text_literally(built_db, runner):
    sql = "select title from v_mentions where url like '%rant'"
    result = runner.invoke(app, ["query", sql, "--db", str(built_db)])
    assert result.exit_code == 0, result.output
    assert "Latifiah school [/rant] [bold]really" in result.stdout


def test_error_text_is_not_console_markup(built_db, runner):
    result = runner.invoke(
        app, ["query", "select '[/x] [red]y' from nowhere", "--db", str(built_db)]
    )
    assert result.exit_code == 2
    assert "[/x] [red]y" in result.stderr


@pytest.mark.parametrize(
    "sql",
    [
        "delete from posts",
        "drop table posts",
        "insert into runs values ('x','y',now(),null,'ok',null)",
    ],
)
def test_query_that_writes_fails_cleanly(built_db, runner, sql):
    result = runner.invoke(app, ["query", sql, "--db", str(built_db)])
    assert result.exit_code == 2
    assert "query failed" in " ".join(result.stderr.split())
    assert result.exception is None or isinstance(result.exception, SystemExit)
    with connect_read_only(built_db) as con:
        assert con.execute("select count(*) from posts").fetchall() == [(3,)]


def test_query_bad_sql_and_missing_db(tmp_path, built_db, runner):
    result = runner.invoke(app, ["query", "select nonsense from nowhere", "--db", str(built_db)])
    assert result.exit_code == 2
    assert "query failed" in result.stderr
    missing = tmp_path / "missing.duckdb"
    result = runner.invoke(app, ["query", "select 1", "--db", str(missing)])
    assert result.exit_code == 2
    assert "no database" in " ".join(result.stderr.split())
    assert not missing.exists()


def test_query_cannot_touch_the_file_system(built_db, runner, tmp_path):
    leak = tmp_path / "leak.csv"
    result = runner.invoke(app, ["query", f"copy posts to '{leak}'", "--db", str(built_db)])
    assert result.exit_code == 2 and not leak.exists()
    result = runner.invoke(
        app, ["query", "select * from read_text('/etc/hostname')", "--db", str(built_db)]
    )
    assert result.exit_code == 2


def test_empty_query_is_a_clear_error(built_db, runner):
    result = runner.invoke(app, ["query", "  ", "--db", str(built_db)])
    assert result.exit_code == 2 and "no SQL given" in result.output


def test_classify_gives_the_same_labels_as_the_flow(tmp_path, runner):
    """The demo's feeds through the pipeline, then the same texts through `mentions classify`."""
    from mentions.demo import write_demo_profile
    from mentions.demo.server import FixtureServer
    from mentions.settings import load_settings

    with FixtureServer() as base_url:
        profile = write_demo_profile(
            base_url,
            tmp_path / "demo.toml",
            {"reddit": {"enabled": False}, "web": {"enabled": False}},
        )
        s = load_settings(profile)
        s.database.path = tmp_path / "flow.duckdb"
        states = pipeline.begin_run(s, "r1", "nightly")
        results = [safe_fetch(src, states.get(src.name, {})) for src in build_sources(s)]
        pipeline.store(s, "r1", results, pipeline.analyse(s, results))
    with connect_read_only(s.database.path) as con:
        rows = con.execute("SELECT title, text, label, subreason FROM v_mentions").fetchall()
    assert {r[2] for r in rows} == {"neutral", "inappropriate", "media_enquiry"}
    src = write_csv(
        tmp_path / "in.csv", [{"title": t or "", "text": x or ""} for t, x, _, _ in rows]
    )
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["classify", str(src), "-o", str(out), "--title-column", "title"])
    assert result.exit_code == 0, result.output
    got = [(r["label"], r["subreason"] or None) for r in read_csv(out)]
    assert got == [(label, subreason) for _, _, label, subreason in rows]
