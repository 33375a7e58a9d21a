"""Load the member states and the 2004 synopsis from ``assessments/data``.

See ``docs/reference-data.md`` for the file formats.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

from catalogue.reference import read_yaml
from catalogue.upsert import LoadReport, ReferenceDataError, upsert

from .cycles import baseline_build
from .models import MemberState, SynopsisNeed
from .synopsis_mapping import synopsis_map

DATA_DIR = Path(__file__).resolve().parent / "data"
MEMBER_STATE_COLUMNS = ["iso3", "iso2", "m49", "name", "region", "subregion", "aliases"]


def normalise_name(name: str) -> str:
    """Fold case, accents, apostrophes and "St"/"Saint" so spellings of one country meet."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"\bst\.? ", "saint ", text.lower())
    return " ".join(text.replace("'", "").split())


def country_index(states: list[MemberState]) -> dict[str, MemberState]:
    """Every name and alias of every member state, normalised, to its row."""
    index: dict[str, MemberState] = {}
    for state in states:
        for name in [state.name, *state.aliases]:
            index[normalise_name(name)] = state
    return index


def load_member_states(report: LoadReport, *, overwrite: bool) -> dict[str, MemberState]:
    path = DATA_DIR / "member_states.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != MEMBER_STATE_COLUMNS:
            raise ReferenceDataError(
                f"{path.name}: columns must be {', '.join(MEMBER_STATE_COLUMNS)}"
            )
        rows = list(reader)
    existing = {s.iso3: s for s in MemberState.objects.all()}
    for row in rows:
        values = {
            "iso2": row["iso2"],
            "m49": row["m49"],
            "name": row["name"],
            "region": row["region"],
            "subregion": row["subregion"],
            "aliases": [a for a in row["aliases"].split("|") if a],
        }
        _, outcome = upsert(
            existing, MemberState, {"iso3": row["iso3"]}, values, overwrite=overwrite
        )
        report.add("member states", outcome)
    return existing


def load_synopsis(
    report: LoadReport, states: dict[str, MemberState], *, overwrite: bool
) -> None:
    data = read_yaml(DATA_DIR / "synopsis.yaml")
    names = country_index(list(states.values()))
    existing = {(n.country_id, n.position): n for n in SynopsisNeed.objects.all()}
    for entry in data["countries"]:
        state = states.get(entry.get("iso3") or "")
        if state is None or names.get(normalise_name(entry["name"])) != state:
            raise ReferenceDataError(
                f"synopsis.yaml: “{entry['name']}” ({entry.get('iso3')}) is not the name or an "
                "alias of that member state; add the spelling to member_states.csv"
            )
        for position, text in enumerate(entry["needs"], start=1):
            _, outcome = upsert(
                existing,
                SynopsisNeed,
                {"country_id": state.pk, "position": position},
                {"reported_as": entry["name"], "text": text},
                overwrite=overwrite,
            )
            report.add("2004 synopsis needs", outcome)


def load_country_data(report: LoadReport, *, overwrite: bool) -> None:
    """The member states, the 2004 synopsis mapped to activities, and cycle zero."""
    states = load_member_states(report, overwrite=overwrite)
    load_synopsis(report, states, overwrite=overwrite)
    mapping = synopsis_map()
    label = "2004 needs mapped to activities by the matching engine"
    report.add(label, "updated", mapping["changed"])
    report.add(label, "unchanged", mapping["mapped"] + mapping["unmatched"] - mapping["changed"])
    baseline_build()
