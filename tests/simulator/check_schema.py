#!/usr/bin/env python3
"""Every shipped lesson validates against simulator/scenario.schema.json, and a few broken scenarios do not
(so the schema and the C++ loader agree on what a scenario is)."""
import glob
import json
import sys

import jsonschema

root = sys.argv[1]
schema = json.load(open(f"{root}/simulator/scenario.schema.json"))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
validator = cls(schema)
failures = 0
lessons = sorted(glob.glob(f"{root}/simulator/lessons/*.json"))
for path in lessons:
    for error in validator.iter_errors(json.load(open(path))):
        print(f"{path}: {error.json_path}: {error.message}")
        failures += 1
broken = [
    {"devices": [{"id": "a", "link": {"loss": 1.5}}]},
    {"devices": [{"id": "a", "colour": "red"}]},
    {"devices": [{"id": "s", "kind": "sensor"}]},
    {"devices": [{"id": "a"}], "actions": [{"at_ms": 1, "do": "explode", "device": "a"}]},
    {"devices": [{"id": "a", "protocol": "4"}]},
    {},
]
for doc in broken:
    if validator.is_valid(doc):
        print(f"schema accepts a broken scenario: {json.dumps(doc)}")
        failures += 1
print(f"{len(lessons)} lessons, {len(broken)} broken scenarios, {failures} failures")
sys.exit(1 if failures or len(lessons) < 7 else 0)
