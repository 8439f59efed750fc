"""Settings: the example profile loads; every bad profile is one ConfigError naming key and file;
secrets come only from the environment and never print."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from mentions.errors import ConfigError
from mentions.settings import load_settings, settings_from_dict

GOOD = """
[school]
name = "Darul Hadis Latifiah"
aliases = ["Darul Hadis Latifiah"]

[database]
path = "somewhere/mentions.duckdb"
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ("MENTIONS_DB_PATH", "MENTIONS_REDDIT_CLIENT_ID", "MENTIONS_REDDIT_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)


def write(tmp_path: Path, text: str, name: str = "school.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_example_profile_loads():
    path = REPO / "config" / "school.example.toml"
    s = load_settings(path)
    assert s.school.name == "Darul Hadis Latifiah"
    assert "Darul Hadith Latifiah" in s.school.aliases
    assert "DHL" in s.school.weak_aliases
    assert s.school.tz.key == "Europe/London"
    assert s.database.path == Path("data/mentions.duckdb")
    assert {f.name for f in s.sources.rss.feeds} >= {"East London Advertiser"}
    assert s.profile_path == path


def test_defaults_fill_in_a_minimal_profile(tmp_path):
    s = load_settings(write(tmp_path, GOOD))
    assert s.database.path == Path("somewhere/mentions.duckdb")
    assert s.http.timeout_seconds > 0 and s.http.max_bytes > 0
    assert s.school.timezone == "Europe/London"


def test_missing_required_key_names_key_and_file(tmp_path):
    path = write(tmp_path, '[school]\nname = "X"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    msg = str(info.value)
    assert "school.aliases" in msg
    assert str(path) in msg
    assert "missing" in msg
    assert info.value.key == "school.aliases"
    assert info.value.path == str(path)


def test_empty_alias_list_is_rejected(tmp_path):
    path = write(tmp_path, '[school]\nname = "X"\naliases = []\n')
    with pytest.raises(ConfigError, match=r"school\.aliases"):
        load_settings(path)


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ("[http]\ntimout_seconds = 3\n", "http.timout_seconds"),
        ("[databse]\npath = 'x.duckdb'\n", "databse"),
        ("[sources.rss]\nfeed = []\n", "sources.rss.feed"),
    ],
)
def test_misspelt_key_names_key_and_file(tmp_path, extra, key):
    path = write(tmp_path, GOOD.replace("[database]", extra + "\n[database]"))
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    msg = str(info.value)
    assert f"'{key}'" in msg
    assert str(path) in msg
    assert "spelling" in msg


def test_misspelt_required_key_names_the_misspelling(tmp_path):
    path = write(tmp_path, '[school]\nname = "X"\nalises = ["X school"]\n')
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert "school.alises" in str(info.value)


def test_invalid_toml_is_a_config_error_naming_the_file(tmp_path):
    path = write(tmp_path, '[school\nname = "X"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert str(path) in str(info.value)
    assert "TOML" in str(info.value)


def test_missing_file_is_a_config_error(tmp_path):
    path = tmp_path / "nope" / "school.toml"
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert str(path) in str(info.value)
    assert "not found" in str(info.value)


def test_directory_or_undecodable_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError):
        load_settings(tmp_path)
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('[school]\nname = "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="latin1.toml"):
        load_settings(bad)


def test_wrong_type_names_the_key(tmp_path):
    path = write(tmp_path, GOOD + '\n[http]\ntimeout_seconds = "soon"\n')
    with pytest.raises(ConfigError, match=r"http\.timeout_seconds"):
        load_settings(path)


def test_bad_timezone(tmp_path):
    path = write(tmp_path, GOOD.replace('name = "', 'timezone = "Mars/Olympus_Mons"\nname = "'))
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    msg = str(info.value)
    assert "school.timezone" in msg
    assert "Mars/Olympus_Mons" in msg
    assert str(path) in msg


def test_db_path_env_override(tmp_path, monkeypatch):
    path = write(tmp_path, GOOD)
    monkeypatch.setenv("MENTIONS_DB_PATH", str(tmp_path / "env.duckdb"))
    assert load_settings(path).database.path == tmp_path / "env.duckdb"
    monkeypatch.delenv("MENTIONS_DB_PATH")
    assert load_settings(path).database.path == Path("somewhere/mentions.duckdb")


def test_secrets_come_from_env_and_never_print(tmp_path, monkeypatch):
    secret = "s3cr3t-value-do-not-print"
    monkeypatch.setenv("MENTIONS_REDDIT_CLIENT_ID", "client-id-xyz")
    monkeypatch.setenv("MENTIONS_REDDIT_CLIENT_SECRET", secret)
    s = load_settings(write(tmp_path, GOOD))
    assert s.secrets.reddit_client_secret is not None
    assert s.secrets.reddit_client_secret.get_secret_value() == secret
    assert s.secrets.reddit_client_id.get_secret_value() == "client-id-xyz"
    for shown in (repr(s), str(s), s.model_dump_json(), str(s.model_dump()), repr(s.secrets)):
        assert secret not in shown
        assert "client-id-xyz" not in shown


def test_secrets_are_not_read_from_the_profile(tmp_path):
    # A secret in the profile is an error (unknown key), not silently accepted.
    path = write(tmp_path, GOOD + '\n[secrets]\nreddit_client_secret = "oops"\n')
    with pytest.raises(ConfigError, match="secrets"):
        load_settings(path)


def test_settings_from_dict_without_a_file():
    with pytest.raises(ConfigError) as info:
        settings_from_dict({"school": {"name": "X"}})
    assert "school.aliases" in str(info.value)
    assert info.value.path is None


def test_the_settings_fixture_builds_a_tmp_database_path(settings, db_path):
    s = settings([("Local", "http://127.0.0.1:1/feed.xml")])
    assert s.database.path == db_path
    assert [f.name for f in s.sources.rss.feeds] == ["Local"]
    assert s.sources.rss.search_templates == {}


def test_a_real_webhook_url_in_the_profile_is_refused(tmp_path):
    path = write(
        tmp_path,
        GOOD
        + '\n[routing.people]\noffice = { name = "Office", '
        + 'webhook = "https://hooks.slack.com/services/T000/B000/SECRETTOKEN" }\n',
    )
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert "webhook_env" in str(info.value) and "SECRETTOKEN" not in str(info.value)
