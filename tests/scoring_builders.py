"""Small frames and facts for the scoring rules, built in memory (no database)."""

from __future__ import annotations

from scoring.facts import (
    ActivityFact,
    AnswerFact,
    Earlier,
    Facts,
    Frame,
    Profile,
    Ratification,
)

GUIDELINES = tuple((n, f"Guideline {n}") for n in range(1, 11))
CATEGORIES = (
    ("I", "General"), ("III", "Criminalization"), ("VII", "International cooperation"),
    ("X", "Institutional capacity building"),
)


def activity(ref: str, position: int, *, target: int = 3, obligation: str = "") -> ActivityFact:
    return ActivityFact(
        ref=ref, label=ref, text=f"Activity {ref}", category=ref.split(".")[0],
        position=position, target=target, obligation=obligation,
    )


def frame(*refs: str, **options) -> Frame:
    """A framework of the given activity refs, in that order."""
    return Frame(
        activities=tuple(activity(ref, i, **options) for i, ref in enumerate(refs, start=1)),
        categories=CATEGORIES,
        guidelines=GUIDELINES,
    )


def level(ref: str, value: int, **fields) -> AnswerFact:
    return AnswerFact(ref, state="level", level=value, **fields)


def request(ref: str, value: int | None = None, **fields) -> AnswerFact:
    """A request for assistance, at a level or of unknown level."""
    state = "level" if value is not None else "unknown"
    return AnswerFact(ref, state=state, level=value, assistance_needed=True, **fields)


def facts(
    answers: list[AnswerFact],
    *,
    refs: tuple[str, ...] | None = None,
    profile: Profile | None = None,
    earlier: Earlier | None = None,
    **frame_options,
) -> Facts:
    """Facts over a frame of ``refs`` (by default the refs of ``answers``)."""
    refs = refs or tuple(a.ref for a in answers)
    return Facts(
        assessment_id=1,
        cycle="2026",
        frame=frame(*refs, **frame_options),
        profile=profile or Profile(iso3="KEN", name="Kenya", region="Africa",
                                   subregion="Sub-Saharan Africa"),
        answers={a.ref: a for a in answers},
        earlier=earlier,
    )


def ratified(ref: str, section: str, status: str, kind: str = "convention") -> Ratification:
    return Ratification(ref=ref, section=section, kind=kind, status=status)
