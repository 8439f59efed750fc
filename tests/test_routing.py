"""Routing: label and sub-reason -> roles -> people, and the routing section of the profile."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from analysis.routing import escalation_people, route
from mentions.errors import ConfigError
from mentions.settings import load_settings, settings_from_dict

ROOT = Path(__file__).resolve().parents[1]

PEOPLE = {
    "head": {"name": "Head Teacher", "email": "head@school.test"},
    "deputy_head": {"name": "Deputy Head", "email": "deputy@school.test"},
    "comms": {
        "name": "Comms Lead",
        "email": "comms@school.test",
        "webhook_env": "MENTIONS_WEBHOOK_COMMS",
    },
    "slt1": {"name": "SLT on duty", "email": "slt@school.test"},
    "dsl": {
        "name": "DSL",
        "email": "dsl@school.test",
        "webhook_kind": "teams",
        "webhook": "http://127.0.0.1:1/x",
    },
    "dsl2": {"name": "Deputy DSL", "email": "dsl2@school.test"},
    "office": {"name": "Office", "email": "office@school.test"},
}
ROLES = {
    "head_teacher": {"people": ["head"], "deputy": "deputy_head"},
    "comms_lead": {"people": ["comms"], "deputy": "head"},
    "slt_on_duty": {"people": ["slt1"], "deputy": "deputy_head"},
    "dsl": {"people": ["dsl"], "deputy": "dsl2"},
    "social_media_lead": {"people": ["office"], "deputy": "comms"},
}


def make_settings(**routing):
    data = {"school": {"name": "Test School", "aliases": ["Test School"]}}
    data["routing"] = {"people": PEOPLE, "roles": ROLES} | routing
    return settings_from_dict(data)


R = make_settings().routing

TABLE = [
    # label, subreason, text, roles, assignee, deputy, notify
    (
        "media_enquiry",
        None,
        "journalist asking",
        ("head_teacher", "comms_lead"),
        "head",
        "deputy_head",
        ("head", "comms"),
    ),
    (
        "inappropriate",
        "defamation",
        "they are frauds",
        ("slt_on_duty",),
        "slt1",
        "deputy_head",
        ("slt1",),
    ),
    (
        "inappropriate",
        "threat",
        "watch your back",
        ("slt_on_duty", "dsl"),
        "slt1",
        "deputy_head",
        ("slt1", "dsl"),
    ),
    (
        "inappropriate",
        "privacy_breach",
        "address is",
        ("slt_on_duty", "dsl"),
        "slt1",
        "deputy_head",
        ("slt1", "dsl"),
    ),
    (
        "inappropriate",
        "harassment_bullying",
        "loser",
        ("slt_on_duty", "dsl"),
        "slt1",
        "deputy_head",
        ("slt1", "dsl"),
    ),
    # About pupils: DSL whatever the sub-reason.
    (
        "inappropriate",
        "abuse",
        "the Year 9 pupils are idiots",
        ("slt_on_duty", "dsl"),
        "slt1",
        "deputy_head",
        ("slt1", "dsl"),
    ),
    (
        "inappropriate",
        None,
        "the students",
        ("slt_on_duty", "dsl"),
        "slt1",
        "deputy_head",
        ("slt1", "dsl"),
    ),
    (
        "inappropriate",
        "abuse",
        "pupillage is not a word here",
        ("slt_on_duty",),
        "slt1",
        "deputy_head",
        ("slt1",),
    ),
    ("neutral", None, "pupils won a prize", ("social_media_lead",), "office", "comms", ("office",)),
]


@pytest.mark.parametrize(("label", "sub", "text", "roles", "assignee", "deputy", "notify"), TABLE)
def test_route_table(label, sub, text, roles, assignee, deputy, notify) -> None:
    decision = route(R, label, sub, text)
    assert decision.roles == roles
    assert decision.role == roles[0]
    assert (decision.assignee, decision.deputy, decision.notify) == (assignee, deputy, notify)
    assert decision.urgent is (label != "neutral")


def test_escalation_goes_to_deputy_and_head_once() -> None:
    assert escalation_people(R, "deputy_head") == ("deputy_head", "head")
    assert escalation_people(R, "head") == ("head",)
    assert escalation_people(R, None) == ("head",)


def test_defaults_need_no_routing_section() -> None:
    settings = settings_from_dict({"school": {"name": "X", "aliases": ["X"]}})
    decision = route(settings.routing, "media_enquiry")
    assert decision.roles == ("head_teacher", "comms_lead")
    assert decision.assignee is None and decision.notify == ()  # roles without people yet


def test_custom_rules_and_urgency() -> None:
    routing = make_settings(
        rules={
            "neutral": ["social_media_lead"],
            "inappropriate": ["head_teacher"],
            "media_enquiry": ["comms_lead"],
        },
        urgent_labels=["media_enquiry"],
    ).routing
    assert route(routing, "inappropriate", "threat").roles == ("head_teacher",)
    assert not route(routing, "inappropriate").urgent
    assert route(routing, "media_enquiry").notify == ("comms",)


@pytest.mark.parametrize(
    ("routing", "key", "message"),
    [
        ({"rules": {"inappropriate.rudeness": ["dsl"]}}, "routing", "label.subreason"),
        ({"rules": {"neutral": ["nobody"]}}, "routing", "unknown role"),
        ({"roles": ROLES | {"dsl": {"people": ["ghost"]}}}, "routing", "unknown person"),
        (
            {"people": PEOPLE | {"x": {"name": "X", "webhook_env": "lower-case"}}},
            "routing.people.x.webhook_env",
            "pattern",
        ),
        (
            {"people": PEOPLE | {"x": {"name": "X", "email": "not an address"}}},
            "routing.people.x.email",
            "email",
        ),
        ({"working_day_start": "25:00"}, "routing.working_day_start", ""),
        ({"closure_days": ["someday"]}, "routing.closure_days.0", ""),
        ({"smtp": {"security": "tls"}}, "routing.smtp.security", ""),
        ({"head_role": "boss"}, "routing", "boss"),
        ({"colour": "red"}, "routing.colour", "not a known setting"),
    ],
)
def test_bad_routing_is_a_config_error(routing: dict, key: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        make_settings(**routing)
    assert info.value.key == key
    assert message in str(info.value)


def test_example_profile_routing_section_loads() -> None:
    settings = load_settings(ROOT / "config" / "school.example.toml")
    r = settings.routing
    assert r.roles["dsl"].people and r.roles["head_teacher"].deputy
    assert route(r, "inappropriate", "threat").roles == ("slt_on_duty", "dsl")
    assert r.people[r.roles["comms_lead"].people[0]].webhook_env  # URLs come from the environment


def test_demo_profile_routing_section_loads(tmp_path: Path) -> None:
    from mentions.demo import write_demo_profile
    from mentions.demo.alerts import DemoAlerts

    path = write_demo_profile("http://127.0.0.1:9", tmp_path / "demo.toml")
    DemoAlerts(tmp_path / "alerts").add_routing(path)  # receivers not started: ports only
    text = path.read_text(encoding="utf-8")
    tomllib.loads(text)
    settings = load_settings(path)
    assert settings.routing.roles["slt_on_duty"].people
