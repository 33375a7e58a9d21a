"""The country context data of matching: regional organisations and who belongs to them.

Read from ``scoring/data/matching_context.yaml`` (see its header), kept per process until the
file changes (``catalogue/caches.py``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from catalogue.caches import ProcessCache

PATH = Path(__file__).resolve().parent / "data" / "matching_context.yaml"


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    members: frozenset[str]  # ISO alpha-3
    regions: frozenset[str]
    subregions: frozenset[str]
    includes: tuple[str, ...]


@dataclass(frozen=True)
class MatchingContext:
    organisations: dict[str, Organisation]
    regional: dict[str, tuple[str, ...]]  # entry ref -> organisation codes
    open_to_all: frozenset[str]
    traditions: dict[str, str]  # entry ref -> legal tradition
    pni: frozenset[str]
    digest: str

    def organisations_of(self, iso3: str, region: str, subregion: str) -> frozenset[str]:
        """The codes of the organisations a member state belongs to."""
        return frozenset(
            code
            for code in self.organisations
            if self._belongs(code, iso3, region, subregion, set())
        )

    def _belongs(self, code: str, iso3: str, region: str, subregion: str, seen: set) -> bool:
        if code in seen:
            return False
        seen.add(code)
        org = self.organisations[code]
        return (
            iso3 in org.members
            or region in org.regions
            or subregion in org.subregions
            or any(self._belongs(c, iso3, region, subregion, seen) for c in org.includes)
        )

    def names(self, codes: frozenset[str] | set[str] | tuple[str, ...]) -> str:
        return ", ".join(sorted(self.organisations[c].name for c in codes))


def _tuple(raw: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in raw or [])


_context: ProcessCache[MatchingContext] = ProcessCache("matching context")


def matching_context() -> MatchingContext:
    """The file's content, kept per process until the file changes."""
    return _context.get(PATH.stat().st_mtime_ns, _context_read)


def _context_read() -> MatchingContext:
    raw = PATH.read_bytes()
    data = yaml.safe_load(raw)
    organisations = {
        code: Organisation(
            code=code,
            name=row["name"],
            members=frozenset(_tuple(row.get("members"))),
            regions=frozenset(_tuple(row.get("regions"))),
            subregions=frozenset(_tuple(row.get("subregions"))),
            includes=_tuple(row.get("includes")),
        )
        for code, row in data["organisations"].items()
    }
    regional = {str(ref): _tuple(codes) for ref, codes in data["regional"].items()}
    unknown = {c for codes in regional.values() for c in codes} - set(organisations)
    unknown |= {c for o in organisations.values() for c in o.includes} - set(organisations)
    if unknown:
        raise ValueError(f"{PATH.name}: unknown organisations {sorted(unknown)}")
    return MatchingContext(
        organisations=organisations,
        regional=regional,
        open_to_all=frozenset(_tuple(data.get("open_to_all"))),
        traditions={
            ref: tradition
            for tradition, refs in (data.get("traditions") or {}).items()
            for ref in refs
        },
        pni=frozenset(_tuple(data.get("pni"))),
        digest=hashlib.sha256(raw).hexdigest()[:16],
    )
