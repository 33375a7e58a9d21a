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

Every match keeps the engine's reasons and gains one line per context adjustment.
"""

from __future__ import annotations

from collections.abc import Sequence

from assessments.choices import AssistanceKind, DeliveryMode, LegalTradition, Ratification
from catalogue.matching import EntryMatch, match_entries_many
from catalogue.matching import translate as _
from catalogue.models import Entry, Language, Part

from .context import MatchingContext, matching_context
from .facts import AnswerFact, Facts, Profile
from .values import Gap

DEFAULT_TOP = 5
POOL = 2  # candidates asked of the engine per match kept, so dropped ones are replaced
PARTY_BOOST = 0.15
REGION_BOOST = 0.05
TRADITION_BOOST = 0.05
FIT_BOOST = 0.05
LANGUAGE_PENALTY = 0.2

NOT_YET_PARTY = (Ratification.NOT_PARTY, Ratification.SIGNED, Ratification.IN_PROGRESS)
ENGAGED = (Ratification.PARTY, Ratification.SIGNED, Ratification.IN_PROGRESS)
Kind = Entry.Kind
KINDS_FOR_ASSISTANCE = {
    AssistanceKind.LEGISLATIVE: (Kind.LEGISLATIVE_GUIDE, Kind.MODEL_LAW),
    AssistanceKind.TRAINING: (Kind.TRAINING_MATERIAL, Kind.MANUAL, Kind.HANDBOOK),
    AssistanceKind.MENTORING: (Kind.PROGRAMME,),
    AssistanceKind.ADVISORY: (
        Kind.GUIDE, Kind.TOOLKIT, Kind.ASSESSMENT_TOOL, Kind.HANDBOOK, Kind.DIGEST
    ),
    AssistanceKind.INSTITUTIONAL: (Kind.GUIDE, Kind.HANDBOOK, Kind.TOOLKIT, Kind.NETWORK),
    AssistanceKind.INFORMATION: (
        Kind.DATABASE, Kind.DIRECTORY, Kind.NETWORK, Kind.CHANNEL, Kind.HUB, Kind.PLATFORM
    ),
}
KINDS_FOR_DELIVERY = {
    DeliveryMode.ONLINE: (Kind.DATABASE, Kind.DIRECTORY, Kind.PLATFORM),
    DeliveryMode.LEGISLATORS: (Kind.LEGISLATIVE_GUIDE, Kind.MODEL_LAW),
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
) -> list[tuple[EntryMatch, ...]]:
    """The matches for each (gap, facts of its assessment), in the order given.

    One engine call for all of them; gaps on the same activity with the same words (most gaps
    of most countries) are matched once.
    """
    keys: dict[tuple[str, str], int] = {}
    for gap, _facts in items:
        keys.setdefault((gap.ref, gap.own_words), len(keys))
    found = (
        match_entries_many(
            [words for _ref, words in keys],
            activities=[ref for ref, _words in keys],
            top=top * POOL,
        )
        if keys
        else []
    )
    context = matching_context()
    memo: dict = {}  # what depends on the country alone, or on the entry and the request alone
    return [
        context_rerank(
            found[keys[(gap.ref, gap.own_words)]],
            answer=facts.answer(gap.ref),
            profile=facts.profile,
            context=context,
            top=top,
            memo=memo,
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
    memo: dict | None = None,
) -> tuple[EntryMatch, ...]:
    """The engine's candidates re-ranked with the country's context, best first (stable).

    ``memo``: a dict shared by the calls of one batch (one context), where the parts of the
    adjustment that depend on the country and the entry alone, or on the entry and the request
    alone, are kept: a country's gaps meet the same entries again and again.
    """
    memo = {} if memo is None else memo
    scored = []
    for rank, match in enumerate(candidates):
        adjusted = _adjust(match, answer, profile, context, memo)
        if adjusted is not None:
            bonus, reasons = adjusted
            score = round(min(max(match.score + bonus, 0.0), 1.0), 4)
            scored.append((-score, rank, match, reasons))
    scored.sort(key=lambda row: row[:2])
    return tuple(
        _rescored(match, -negative, (*match.reasons, *reasons))
        for negative, _, match, reasons in scored[:top]
    )


def _rescored(match: EntryMatch, score: float, reasons: tuple[str, ...]) -> EntryMatch:
    """``replace(match, score=score, reasons=reasons)``, without its field-by-field lookup."""
    return EntryMatch(
        match.ref, match.title, match.short_title, match.kind, match.part, score, reasons,
        match.languages,
    )


def _adjust(
    match: EntryMatch, answer: AnswerFact, profile: Profile, context: MatchingContext,
    memo: dict,
) -> tuple[float, list[str]] | None:
    """The context bonus and its reasons; None to drop the entry."""
    key = (id(profile), match.ref)
    country = memo.get(key)
    if country is None:
        # the profile is kept alive by the batch, so its id is not reused meanwhile
        country = memo[key] = _country_adjust(match, profile, context)
    if country is False:
        return None
    bonus, before, penalty, after = country
    key = (match.ref, answer.assistance_kinds, answer.delivery_modes)
    fit = memo.get(key)
    if fit is None:
        fit = memo[key] = _fit(match, answer, context)
    if fit:
        bonus += FIT_BOOST
        before = [*before, fit]
    if penalty:
        bonus -= penalty
    return bonus, [*before, *after]


def _country_adjust(
    match: EntryMatch, profile: Profile, context: MatchingContext
) -> tuple[float, list[str], float, list[str]] | bool:
    """What the country's context does to an entry: the bonus and reasons that come before the
    fit to the request, and the penalty and reasons after it (languages); False to drop it."""
    bonus, reasons = 0.0, []
    status = profile.status_of(match.ref) if match.part == Part.A else ""
    organisations = context.regional.get(match.ref, ())
    if organisations and match.ref not in context.open_to_all:
        mine = profile.organisations.intersection(organisations)
        if mine:
            bonus += REGION_BOOST
            reasons.append(
                _("regional: %(organisations)s, of which %(country)s is a member")
                % {"organisations": context.names(mine), "country": profile.name}
            )
        elif status not in ENGAGED:
            return False  # another region's instrument
    if match.part == Part.A and match.kind in Entry.RATIFIABLE and status in NOT_YET_PARTY:
        bonus += PARTY_BOOST
        reasons.append(
            _("%(country)s is not yet party (%(status)s)")
            % {"country": profile.name, "status": str(STATUSES[status]).lower()}
        )
    tradition = context.traditions.get(match.ref)
    if tradition and profile.legal_tradition and profile.legal_tradition != "mixed":
        name = str(TRADITIONS.get(tradition, tradition)).lower()
        if tradition == profile.legal_tradition:
            bonus += TRADITION_BOOST
            reasons.append(
                _("drafted for %(tradition)s systems, like %(country)s's")
                % {"tradition": name, "country": profile.name}
            )
        else:
            bonus -= TRADITION_BOOST
            own = str(TRADITIONS.get(profile.legal_tradition, profile.legal_tradition)).lower()
            reasons.append(
                _("drafted for %(tradition)s systems (%(country)s: %(own)s): to adapt")
                % {"tradition": name, "country": profile.name, "own": own}
            )
    penalty, after = 0.0, []
    if match.languages and profile.languages:
        shared = [code for code in match.languages if code in profile.languages]
        if shared:
            after.append(_("available in %(languages)s") % {"languages": _names(shared)})
        else:
            penalty = LANGUAGE_PENALTY
            after.append(
                _("available only in %(languages)s, not in %(country)s's working languages")
                % {"languages": _names(match.languages), "country": profile.name}
            )
    return bonus, reasons, penalty, after


def _names(codes: Sequence[str]) -> str:
    names = [str(LANGUAGES.get(code, code)) for code in codes]
    if len(names) == 1:
        return names[0]
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _fit(match: EntryMatch, answer: AnswerFact, context: MatchingContext) -> str:
    """Why the entry plainly suits what was asked for, or ""."""
    for kind in answer.assistance_kinds:
        if match.kind in KINDS_FOR_ASSISTANCE.get(kind, ()):
            return _("suits the assistance asked for: %(kind)s") % {
                "kind": str(KINDS.get(kind, kind)).lower()
            }
    title = match.title.lower()
    for mode in answer.delivery_modes:
        suits = (
            (mode == DeliveryMode.PNI and match.ref in context.pni)
            or match.kind in KINDS_FOR_DELIVERY.get(mode, ())
            or any(word in title for word in WORDS_FOR_DELIVERY.get(mode, ()))
        )
        if suits:
            return _("suits the preferred delivery: %(mode)s") % {
                "mode": str(MODES.get(mode, mode)).lower()
            }
    return ""
