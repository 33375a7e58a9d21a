"""Gaps to compendium entries: the catalogue's engine, then the country's context.

For each gap the engine (:func:`catalogue.matching.match_entries_many`, the same one that maps
the 2004 needs) ranks entries by curated links to the activity and by text relevance to the
activity and to the country's own words. Here the candidates are re-ranked with what is known
of the country:

- an instrument of Part A the country is not yet party to (signed, in progress, not party)
  gains ``PARTY_BOOST``;
- an instrument, declaration or network of a regional organisation (``matching_context.yaml``)
  is dropped for a country outside it, unless the country reported engaging with it; for a
  member it gains ``REGION_BOOST``;
- a tool drafted for one legal tradition gains (or loses) ``TRADITION_BOOST`` when the
  country's tradition is known;
- an entry whose kind plainly suits the assistance asked for or the preferred delivery gains
  ``FIT_BOOST``;
- when both the entry's languages and the ministry's working languages are known, an entry
  available in one of them says so, and one available in none of them loses
  ``LANGUAGE_PENALTY`` (suggested last, not dropped: it may be translated).

Every suggestion keeps the engine's reasons and gains one line per context adjustment.
"""

from __future__ import annotations

from collections.abc import Sequence

from assessments.choices import AssistanceKind, DeliveryMode, LegalTradition, Ratification
from catalogue.matching import EntryMatch, match_entries_many
from catalogue.models import Language

from .context import MatchingContext, matching_context
from .facts import AnswerFact, Facts, Profile
from .values import Gap, Suggestion

DEFAULT_TOP = 5
POOL = 2  # candidates asked of the engine per suggestion kept, so dropped ones are replaced
PARTY_BOOST = 0.15
REGION_BOOST = 0.05
TRADITION_BOOST = 0.05
FIT_BOOST = 0.05
LANGUAGE_PENALTY = 0.2

RATIFIABLE = ("convention", "protocol", "agreement")
NOT_YET_PARTY = (Ratification.NOT_PARTY, Ratification.SIGNED, Ratification.IN_PROGRESS)
ENGAGED = (Ratification.PARTY, Ratification.SIGNED, Ratification.IN_PROGRESS)
KINDS_FOR_ASSISTANCE = {
    AssistanceKind.LEGISLATIVE: ("legislative_guide", "model_law"),
    AssistanceKind.TRAINING: ("training_material", "manual", "handbook"),
    AssistanceKind.MENTORING: ("programme",),
    AssistanceKind.ADVISORY: ("guide", "toolkit", "assessment_tool", "handbook", "digest"),
    AssistanceKind.INSTITUTIONAL: ("guide", "handbook", "toolkit", "network"),
    AssistanceKind.INFORMATION: ("database", "directory", "network", "channel", "hub", "platform"),
}
KINDS_FOR_DELIVERY = {
    DeliveryMode.ONLINE: ("database", "directory", "platform"),
    DeliveryMode.LEGISLATORS: ("legislative_guide", "model_law"),
    DeliveryMode.MENTORING: (),
}
WORDS_FOR_DELIVERY = {
    DeliveryMode.ONLINE: ("online", "e-learning"),
    DeliveryMode.MENTORING: ("mentor",),
}
TRADITIONS = dict(LegalTradition.choices)
STATUSES = dict(Ratification.choices)
KINDS = dict(AssistanceKind.choices)
MODES = dict(DeliveryMode.choices)
LANGUAGES = dict(Language.choices)


def match_gaps(
    items: Sequence[tuple[Gap, Facts]], *, top: int = DEFAULT_TOP
) -> list[tuple[Suggestion, ...]]:
    """Suggestions for each (gap, facts of its assessment), in the order given.

    One engine call for all of them; gaps on the same activity with the same words (most gaps
    of most countries) are matched once.
    """
    keys: dict[tuple[str, str], int] = {}
    for gap, _ in items:
        keys.setdefault((gap.ref, gap.own_words), len(keys))
    found = (
        match_entries_many(
            [words for _, words in keys], activities=[ref for ref, _ in keys], top=top * POOL
        )
        if keys
        else []
    )
    context = matching_context()
    return [
        context_rerank(
            found[keys[(gap.ref, gap.own_words)]],
            answer=facts.answer(gap.ref),
            profile=facts.profile,
            context=context,
            top=top,
        )
        for gap, facts in items
    ]


def context_rerank(
    candidates: Sequence[EntryMatch],
    *,
    answer: AnswerFact,
    profile: Profile,
    context: MatchingContext,
    top: int = DEFAULT_TOP,
) -> tuple[Suggestion, ...]:
    """The engine's candidates re-ranked with the country's context, best first (stable)."""
    scored = []
    for rank, match in enumerate(candidates):
        adjusted = _adjust(match, answer, profile, context)
        if adjusted is not None:
            bonus, reasons = adjusted
            score = round(min(max(match.score + bonus, 0.0), 1.0), 4)
            scored.append((-score, rank, match, reasons))
    scored.sort(key=lambda row: row[:2])
    return tuple(
        Suggestion(
            ref=match.ref, title=match.title, short_title=match.short_title, kind=match.kind,
            part=match.part, score=-negative, reasons=(*match.reasons, *reasons),
        )
        for negative, _, match, reasons in scored[:top]
    )


def _adjust(
    match: EntryMatch, answer: AnswerFact, profile: Profile, context: MatchingContext
) -> tuple[float, list[str]] | None:
    """The context bonus and its reasons; None to drop the entry."""
    bonus, reasons = 0.0, []
    status = profile.status_of(match.ref) if match.part == "A" else ""
    organisations = context.regional.get(match.ref, ())
    if organisations and match.ref not in context.open_to_all:
        mine = profile.organisations.intersection(organisations)
        if mine:
            bonus += REGION_BOOST
            reasons.append(f"regional: {context.names(mine)}, of which {profile.name} is a member")
        elif status not in ENGAGED:
            return None  # another region's instrument
    if match.part == "A" and match.kind in RATIFIABLE and status in NOT_YET_PARTY:
        bonus += PARTY_BOOST
        reasons.append(f"{profile.name} is not yet party ({STATUSES[status].lower()})")
    tradition = context.traditions.get(match.ref)
    if tradition and profile.legal_tradition and profile.legal_tradition != "mixed":
        name = TRADITIONS.get(tradition, tradition).lower()
        if tradition == profile.legal_tradition:
            bonus += TRADITION_BOOST
            reasons.append(f"drafted for {name} systems, like {profile.name}'s")
        else:
            bonus -= TRADITION_BOOST
            own = TRADITIONS.get(profile.legal_tradition, profile.legal_tradition).lower()
            reasons.append(f"drafted for {name} systems ({profile.name}: {own}): to adapt")
    fit = _fit(match, answer, context)
    if fit:
        bonus += FIT_BOOST
        reasons.append(fit)
    if match.languages and profile.languages:
        shared = [code for code in match.languages if code in profile.languages]
        if shared:
            reasons.append(f"available in {_names(shared)}")
        else:
            bonus -= LANGUAGE_PENALTY
            reasons.append(
                f"available only in {_names(match.languages)}, not in {profile.name}'s working "
                "languages"
            )
    return bonus, reasons


def _names(codes: Sequence[str]) -> str:
    names = [LANGUAGES.get(code, code) for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _fit(match: EntryMatch, answer: AnswerFact, context: MatchingContext) -> str:
    """Why the entry plainly suits what was asked for, or ""."""
    for kind in answer.assistance_kinds:
        if match.kind in KINDS_FOR_ASSISTANCE.get(kind, ()):
            return f"suits the assistance asked for: {KINDS.get(kind, kind).lower()}"
    title = match.title.lower()
    for mode in answer.delivery_modes:
        suits = (
            (mode == DeliveryMode.PNI and match.ref in context.pni)
            or match.kind in KINDS_FOR_DELIVERY.get(mode, ())
            or any(word in title for word in WORDS_FOR_DELIVERY.get(mode, ()))
        )
        if suits:
            return f"suits the preferred delivery: {MODES.get(mode, mode).lower()}"
    return ""
