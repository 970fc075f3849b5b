"""The fields ``cdcpos parse`` writes without decoding objects (``cdcpos.cli._checkpoint_json``)
are exactly the JSON of ``fields_of`` on the decoded value: on every real checkpoint, on
awkward hand-picked ones and on checkpoints generated from the grammar."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cdcpos
import cdcpos.strategies
from cdcpos.cli._checkpoint_json import checkpoint_fields_json
from cdcpos.cli._fields import ENCODE, fields_of
from tests.examples import SPEC_EXAMPLES

AWKWARD = [
    "checkpoint:V1#-0#0/0#-0#0#*#-0#-0",  # -0 counters are 0
    "checkpoint:V0#1#ffffffff/FFFFFFFF#0#0#0/1#0#0",  # lower-case hex, a second position
    "checkpoint:V12#1#0000/00a#0#0#*#0#0",  # leading zeros in an LSN half
    "checkpoint:V1#1#00000032:00000A55:000C#0#0#00000032:00000a5a:0003#0#0",
    "checkpoint:V1#1#00000007.C99042D0.00000001.000c.01.0000:0401032.58563.016#0#0#*#0#0",
    "checkpoint:V1#1#$.583860:1357#0#0#*#0#0",  # a binlog whose file is '$'
    "checkpoint:V1#1#a.b-c_d.000024:00373#0#0#*#0#0",
    "checkpoint:V1#1#mysql-bin.01:007:-1:02:0:mysql-bin.02:00#0#0#*#0#0",
    'checkpoint:V1#1#a"b\\c\u0041/x#0#0#*#0#0',  # opaque, JSON escapes
    "checkpoint:V1#1#zz-98#0#0#zz-99#0#0",
    "checkpoint:V1#1#0/1#0#0#*x#0#0",  # '*x' is an opaque second position, not '*'
]


def assert_same_fields(text: str) -> None:
    value = cdcpos.parse_checkpoint(text)
    written = checkpoint_fields_json(text)
    assert written is not None, text
    assert written == ENCODE(fields_of(value)), text
    assert list(json.loads(written)) == list(fields_of(value))


@pytest.mark.parametrize(
    "text",
    [text for text, _ in SPEC_EXAMPLES if text.startswith("checkpoint:")] + AWKWARD,
)
def test_examples(text: str) -> None:
    assert_same_fields(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(cdcpos.strategies.checkpoint_strings(), cdcpos.strategies.strings("checkpoint")))
def test_generated_checkpoints(text: str) -> None:
    assert_same_fields(text)


def test_other_layouts_fall_back_to_the_object_path() -> None:
    # Not a checkpoint the library accepted: None, and the caller decodes the value.
    assert checkpoint_fields_json("0/1") is None
    assert checkpoint_fields_json("checkpoint:V1#1#0/1#0#0#*#0") is None
    assert checkpoint_fields_json("checkpoint:V1#1#*#0#0#*#0#0") is None
