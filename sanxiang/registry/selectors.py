"""Registry reads. Besides the staff pages, these are the registry's API for higher apps:

- cases / records: ``enforcement_problems`` and ``team_problems`` (行政处罚法 第四十二条: two
  officers with certificates valid on the day), ``certificate_on`` (numbers printed on
  documents and interview records, 第五十五条);
- review: ``reviewer_problems`` (第五十八条第二款) and ``reviewer_ratio`` (≥5%);
- inspections: ``certified_officers`` (执法检查人员名录库 — certified officers only);
- publicity / portal: ``public_roster`` and ``certificate_verify`` (public fields only);
- records: ``device_holder_at`` (who held a recording device when a file was made).

List selectors prefetch what their pages show, so query counts do not grow with the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from sanxiang.accounts import roles
from sanxiang.lib.todo import TodoItem

from . import rules
from .models import (
    Agency,
    Certificate,
    CertificateSuspension,
    DeviceAssignment,
    LegalQualification,
    Officer,
    RecordingDevice,
    ReviewerDesignation,
    Training,
    TrainingAttendance,
)

# --- officers and certificates --------------------------------------------------------------


def _certificates_prefetch() -> Prefetch:
    return Prefetch(
        "certificates",
        queryset=Certificate.objects.prefetch_related("suspensions").order_by(
            "kind", "-valid_from", "-pk"
        ),
    )


def officer_list(
    *,
    agency: Agency | None = None,
    q: str = "",
    unit_id: int | None = None,
    include_inactive: bool = False,
) -> QuerySet[Officer]:
    qs = Officer.objects.select_related("user__unit", "agency").prefetch_related(
        _certificates_prefetch()
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if q:
        qs = qs.filter(
            Q(user__real_name__contains=q)
            | Q(user__username__icontains=q)
            | Q(certificates__number__icontains=q)
            | Q(post__contains=q)
        ).distinct()
    if unit_id:
        qs = qs.filter(user__unit_id=unit_id)
    return qs.order_by("-is_active", "user__unit__name", "user__real_name", "pk")


@dataclass(frozen=True)
class OfficerRow:
    officer: Officer
    current: Certificate | None  # the certificate valid today, else the most recent one
    state: str  # valid / expiring / expired / suspended / pending / ended / none
    state_label: str


def officer_rows(officers: Iterable[Officer], *, today: dt.date) -> list[OfficerRow]:
    """One row per officer with the certificate to show and its state today (no queries when
    the officers come from ``officer_list``)."""
    rows = []
    for officer in officers:
        certs = list(officer.certificates.all())
        facts = [c.facts() for c in certs]
        valid = rules.valid_certificate(facts, today)
        if valid is not None:
            current = certs[facts.index(valid)]
        elif certs:
            current = max(certs, key=lambda c: (c.valid_from, c.valid_until, c.pk))
        else:
            current = None
        if current is None:
            state, label = "none", "无证"
        else:
            state, label = rules.certificate_state(current.facts(), today)
        rows.append(OfficerRow(officer, current, state, label))
    return rows


def officer_detail(pk: int) -> Officer:
    return (
        Officer.objects.select_related("user__unit", "agency")
        .prefetch_related(_certificates_prefetch())
        .get(pk=pk)
    )


def officer_for_user(user) -> Officer | None:
    return Officer.objects.filter(user=user).select_related("agency").first()


def _facts_by_user(users: Iterable) -> dict[int, list[rules.CertificateFacts]]:
    ids = [u.pk for u in users]
    certs = (
        Certificate.objects.filter(officer__user_id__in=ids)
        .select_related("officer")
        .prefetch_related("suspensions")
    )
    out: dict[int, list[rules.CertificateFacts]] = {pk: [] for pk in ids}
    for c in certs:
        out[c.officer.user_id].append(c.facts())
    return out


def enforcement_problems(*, users: Iterable, on: dt.date) -> dict[int, list[str]]:
    """User pk → why that person may not conduct enforcement on ``on`` ([] = may). Two queries
    whatever the number of users. ``on`` may be in the past (an act recorded afterwards):
    leaving the roster ends certificates from the leaving date, so history stays right."""
    users = list(users)
    facts = _facts_by_user(users)
    return {u.pk: rules.holder_problems(facts[u.pk], on) for u in users}


def team_problems(*, users: Iterable, on: dt.date, act: str = "调查取证") -> list[str]:
    """Why this team may not perform an investigation act on ``on`` (行政处罚法 第四十二条):
    fewer than two members hold a certificate valid that day; members without one are named."""
    users = list(dict.fromkeys(users))
    problems = enforcement_problems(users=users, on=on)
    return rules.team_problems([(str(u), problems[u.pk]) for u in users], act=act)


def certificate_on(*, user, on: dt.date) -> Certificate | None:
    """The certificate to print for ``user`` on ``on`` (the latest-issued one valid that day)."""
    certs = list(Certificate.objects.filter(officer__user=user).prefetch_related("suspensions"))
    facts = [c.facts() for c in certs]
    chosen = rules.valid_certificate(facts, on)
    return certs[facts.index(chosen)] if chosen is not None else None


def _valid_on_q(on: dt.date) -> Q:
    """Database form of ``rules.certificate_problems(...) == []`` (kept equal by a test)."""
    suspended = CertificateSuspension.objects.filter(
        certificate=OuterRef("pk"), starts_on__lte=on
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
    return (
        Q(valid_from__lte=on, valid_until__gte=on)
        & (Q(ended="") | Q(ended_on__gt=on))
        & ~Exists(suspended)
    )


def valid_certificates(*, on: dt.date) -> QuerySet[Certificate]:
    return Certificate.objects.filter(_valid_on_q(on))


def certified_officers(*, agency: Agency, on: dt.date) -> QuerySet[Officer]:
    """Officers on the roster with a certificate valid on ``on`` — the pool for random
    inspection draws (执法检查人员名录库, 双随机一公开), in a stable order."""
    valid = valid_certificates(on=on).filter(officer=OuterRef("pk"))
    return (
        Officer.objects.filter(agency=agency, is_active=True)
        .filter(Exists(valid))
        .select_related("user__unit")
        .order_by("pk")
    )


def public_roster(*, agency: Agency, on: dt.date) -> list[dict]:
    """事前公示 of enforcement staff: name, unit, post, certificate kind and number, issuer and
    expiry (国办发〔2018〕118号; 山西 also publishes unit and post). Nothing else about a person."""
    valid = valid_certificates(on=on).filter(officer__agency=agency, officer__is_active=True)
    certs = (
        valid.select_related("officer__user__unit")
        .prefetch_related("suspensions")
        .order_by("officer__user__unit__name", "officer__user__real_name", "kind", "pk")
    )
    return [_public_certificate(c, on=on) for c in certs]


def _public_certificate(c: Certificate, *, on: dt.date) -> dict:
    problems = rules.certificate_problems(c.facts(), on)
    return {
        "name": c.officer.name,
        "unit": c.officer.user.unit.name if c.officer.user.unit else "",
        "post": c.officer.post,
        "kind": c.get_kind_display(),
        "number": c.number,
        "issuer": c.issuer,
        "scope": c.scope,
        "valid_until": c.valid_until,
        "valid": not problems,
        "status": rules.certificate_state(c.facts(), on)[1] if not problems else "无效",
    }


def certificate_verify(*, number: str, on: dt.date) -> list[dict]:
    """Public check of a certificate number shown to a party (当事人核验执法证件): the public
    fields of every certificate with that number (one per kind at most) and whether it is
    valid on ``on``."""
    import unicodedata

    number = "".join(unicodedata.normalize("NFKC", number or "").split()).upper()
    if not number:
        return []
    certs = (
        Certificate.objects.filter(number=number)
        .select_related("officer__user__unit")
        .prefetch_related("suspensions")
        .order_by("kind")
    )
    return [_public_certificate(c, on=on) for c in certs]


# --- legal review staff ------------------------------------------------------------------


def reviewer_problems(*, user, agency: Agency, on: dt.date, penalty: bool = True) -> list[str]:
    """Why ``user`` may not do a legal review for ``agency`` on ``on`` ([] = may)."""
    designations = [d.facts() for d in ReviewerDesignation.objects.filter(agency=agency, user=user)]
    qualifications = [q.facts() for q in LegalQualification.objects.filter(holder=user)]
    return rules.reviewer_problems(
        designations=designations, qualifications=qualifications, on=on, penalty=penalty
    )


def reviewer_list(
    *, agency: Agency | None = None, include_ended: bool = False
) -> QuerySet[ReviewerDesignation]:
    qs = ReviewerDesignation.objects.select_related("user__unit", "agency").prefetch_related(
        Prefetch(
            "user__legal_qualifications",
            queryset=LegalQualification.objects.order_by("-granted_on", "pk"),
        )
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if not include_ended:
        qs = qs.filter(ended_on__isnull=True)
    return qs.order_by("ended_on", "kind", "designated_on", "pk")


@dataclass(frozen=True)
class ReviewerRow:
    designation: ReviewerDesignation
    qualifications: list[LegalQualification]
    problems: list[str]  # for penalty reviews, today


def reviewer_rows(
    designations: Iterable[ReviewerDesignation], *, today: dt.date
) -> list[ReviewerRow]:
    rows = []
    for d in designations:
        quals = list(d.user.legal_qualifications.all())
        problems = (
            rules.reviewer_problems(
                designations=[d.facts()],
                qualifications=[q.facts() for q in quals],
                on=today,
                penalty=True,
            )
            if d.ended_on is None
            else []
        )
        rows.append(ReviewerRow(d, quals, problems))
    return rows


def reviewer_ratio(*, agency: Agency, on: dt.date) -> rules.ReviewerRatio:
    """Review staff of the agency (its own staff and public lawyers; external advisers are not
    "本单位" staff) against its officers on the roster holding a valid certificate."""
    reviewers = (
        ReviewerDesignation.objects.filter(agency=agency, designated_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .exclude(kind=ReviewerDesignation.Kind.LEGAL_ADVISER)
        .values("user")
        .distinct()
        .count()
    )
    officers = certified_officers(agency=agency, on=on).count()
    return rules.ReviewerRatio(reviewers=reviewers, officers=officers)


# --- training ---------------------------------------------------------------------------


def training_list(*, agency: Agency | None = None, year: int | None = None) -> QuerySet[Training]:
    from django.db.models import Count

    qs = Training.objects.select_related("agency").annotate(attendee_count=Count("attendance"))
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year is not None:
        qs = qs.filter(held_on__year=year)
    return qs.order_by("-held_on", "-pk")


def training_detail(pk: int) -> Training:
    return (
        Training.objects.select_related("agency")
        .prefetch_related("attendance__user__unit")
        .get(pk=pk)
    )


def training_duty_met(*, agency: Agency, year: int) -> bool:
    topics = Training.objects.filter(agency=agency, held_on__year=year).values_list(
        "topic", flat=True
    )
    return rules.training_duty_met(topics)


def officers_without_training(*, agency: Agency, year: int) -> QuerySet[Officer]:
    """Active officers of ``agency`` who attended no three-systems training (专题学习培训 or
    业务交流) held in ``year`` — who still owes this year's one (实施方案 三（二）: 每年至少开展
    1次). Attendance counts whoever organised the training."""
    attended = TrainingAttendance.objects.filter(
        user=OuterRef("user_id"),
        training__held_on__year=year,
        training__topic__in=rules.THREE_SYSTEMS_TRAINING_TOPICS,
    )
    return (
        Officer.objects.filter(agency=agency, is_active=True)
        .exclude(Exists(attended))
        .select_related("user__unit", "agency")
        .order_by("user__real_name", "pk")
    )


def trainings_of(user) -> QuerySet[Training]:
    return Training.objects.filter(attendance__user=user).order_by("-held_on", "-pk")


# --- recording devices ------------------------------------------------------------------


def device_list(
    *, agency: Agency | None = None, kind: str = "", status: str = "", q: str = ""
) -> QuerySet[RecordingDevice]:
    open_assignment = DeviceAssignment.objects.filter(returned_at__isnull=True).select_related(
        "holder"
    )
    qs = RecordingDevice.objects.select_related("agency").prefetch_related(
        Prefetch("assignments", queryset=open_assignment, to_attr="open_assignments")
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(asset_no__icontains=q)
            | Q(model_name__icontains=q)
            | Q(serial_no__icontains=q)
            | Q(assignments__returned_at__isnull=True, assignments__holder__real_name__contains=q)
        ).distinct()
    return qs.order_by("agency", "kind", "asset_no")


def device_detail(pk: int) -> RecordingDevice:
    return (
        RecordingDevice.objects.select_related("agency")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=DeviceAssignment.objects.select_related(
                    "holder", "issued_by", "returned_to"
                ).order_by("-issued_at", "-pk"),
            )
        )
        .get(pk=pk)
    )


def devices_held_by(user) -> QuerySet[RecordingDevice]:
    return RecordingDevice.objects.filter(
        assignments__holder=user, assignments__returned_at__isnull=True
    ).order_by("kind", "asset_no")


def device_holder_at(*, device: RecordingDevice, at: dt.datetime):
    """Who held ``device`` at the moment ``at`` (None for fixed devices or when in store)."""
    a = (
        DeviceAssignment.objects.filter(device=device, issued_at__lte=at)
        .filter(Q(returned_at__isnull=True) | Q(returned_at__gt=at))
        .select_related("holder")
        .order_by("-issued_at")
        .first()
    )
    return a.holder if a else None


def _url(name: str, *args) -> str:
    # Until the registry's URLs are included the to-do list must still render.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- 我的待办 -----------------------------------------------------------------------------


def todo_items_for(*, user, today: dt.date) -> list:
    """Certificates to renew (the holder's own; all of them for the registry keeper), the
    yearly three-systems training when none has been recorded yet (keeper only) and, in the
    fourth quarter, the officers who have not attended one yet (keeper: every agency; 承办机构
    负责人: their own)."""

    items: list = []
    keeper = user.has_perm("registry.add_certificate")
    horizon = today + dt.timedelta(days=rules.EXPIRY_WARNING_DAYS)
    certs = (
        Certificate.objects.filter(ended="", officer__is_active=True, valid_until__lt=horizon)
        .select_related("officer__user")
        .prefetch_related("suspensions")
        .order_by("valid_until", "pk")
    )
    if not keeper:
        certs = certs.filter(officer__user=user)
    for c in certs:
        own = c.officer.user_id == user.pk
        expired = c.valid_until < today
        items.append(
            TodoItem(
                title=("您的" if own else "")
                + ("执法证件已过期，请换发" if expired else "执法证件即将到期，请申请换发"),
                subject=f"{c.officer.name} · {c}",
                url=_url("registry:officer_detail", c.officer_id),
                due=c.valid_until,
                basis="行政处罚法第四十二条：执法人员应当具有行政执法资格",
                urgency="overdue"
                if expired
                else "soon"
                if (c.valid_until - today).days < 30
                else "normal",
                note=f"有效期至{rules.fmt(c.valid_until)}",
            )
        )
    if keeper:
        agency_ids = set(
            Officer.objects.filter(is_active=True).values_list("agency_id", flat=True).distinct()
        )
        done = set(
            Training.objects.filter(
                agency_id__in=agency_ids,
                held_on__year=today.year,
                topic__in=rules.THREE_SYSTEMS_TRAINING_TOPICS,
            ).values_list("agency_id", flat=True)
        )
        for agency in Agency.objects.filter(pk__in=agency_ids - done).order_by("name"):
            items.append(
                TodoItem(
                    title="组织本年度“三项制度”专题学习培训或业务交流",
                    subject=f"{agency.name}（{today.year}年尚未登记）",
                    url=_url("registry:training_list"),
                    due=dt.date(today.year, 12, 31),
                    basis="实施方案三（二）：每年至少开展1次“三项制度”专题学习培训或者业务交流",
                    urgency="soon" if today.month == 12 else "normal",
                )
            )
    if today.month >= 10:
        items += _untrained_officer_items(user=user, keeper=keeper, today=today)
    return items


def _untrained_officer_items(*, user, keeper: bool, today: dt.date) -> list:
    if keeper:
        agencies = Agency.objects.filter(officers__is_active=True).distinct().order_by("name")
    elif user.has_role(roles.UNIT_HEAD):
        unit = getattr(user, "unit", None)
        agencies = Agency.objects.filter(is_active=True).order_by("name")
        if unit is not None:
            agencies = agencies.filter(pk=unit.agency_id)
    else:
        return []
    items = []
    for agency in agencies:
        names = [o.name for o in officers_without_training(agency=agency, year=today.year)]
        if not names:
            continue
        shown = "、".join(names[:3]) + ("等" if len(names) > 3 else "")
        items.append(
            TodoItem(
                title="督促未参加本年度“三项制度”培训的执法人员参训",
                subject=f"{agency.name}：{shown}，共{len(names)}人",
                url=_url("registry:training_list"),
                due=dt.date(today.year, 12, 31),
                basis="实施方案三（二）：每年至少开展1次“三项制度”专题学习培训或者业务交流",
                urgency="soon" if today.month == 12 else "normal",
            )
        )
    return items
