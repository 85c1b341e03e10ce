"""REST endpoints for households and persons: thin shells over ``registry.selectors`` (which apply
the one region-scope filter) and ``registry.services`` (audited writes).

An object outside the caller's scope answers 404, exactly like one that does not exist; a caller
without the capability answers 403. Reading a household's or person's detail is audited.
"""

# No `from __future__ import annotations` here: ninja reads the endpoint parameter types
# (``Query[...]``) when the routes are declared.
from enum import Enum
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.roles import Capability
from safetynet.api_errors import ErrorOut, ProblemOut, ValidationErrorOut, mask_value
from safetynet.api_pages import Pages
from safetynet.audit.services import client_of
from safetynet.registry import identity, selectors, services
from safetynet.registry.choices import (
    COUNTED_INCOME_KINDS,
    AssetKind,
    Category,
    DisabilityType,
    ExpenditureKind,
    HealthStatus,
    IncomeKind,
    LabourCapacity,
    RelapseWatchType,
    SchoolStage,
    Sex,
)
from safetynet.registry.inputs import (
    AssetInput,
    ExpenditureInput,
    HouseholdInput,
    IncomeInput,
    MemberInput,
)
from safetynet.registry.models import Income, Membership, Person
from safetynet.registry.schemas import (
    AssetOut,
    CategoryStatusOut,
    ExpenditureOut,
    FormerMemberOut,
    HouseholdCreateIn,
    HouseholdDetailOut,
    HouseholdFilterIn,
    HouseholdIdSearchIn,
    HouseholdListOut,
    HouseholdOut,
    HouseholdUpdateIn,
    IncomeOut,
    MemberOut,
    MembershipOut,
    PersonDetailOut,
    PersonFilterIn,
    PersonIdSearchIn,
    PersonListOut,
    PersonUpdateIn,
    RelapseWatchStatusOut,
    SupporterOut,
)

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: ErrorOut, 422: ValidationErrorOut}

households_router = Router(tags=["家庭"])
persons_router = Router(tags=["人员"])


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


# --- households --------------------------------------------------------------------------------


COUNT_LOWER_BOUND_HEADER = "X-Count-Lower-Bound"


class HouseholdPages(Pages):
    """The household list's pages (ADR 0016): by ``page`` as every list, or by ``after`` (the
    id of the previous page's last household) — the way through a broad search, whose count is
    then a lower bound (header ``X-Count-Lower-Bound: true``)."""

    class Input(Pages.Input):
        after: int | None = Field(
            None,
            ge=1,
            le=2**62,
            description="上一页最后一户的编号：返回编号小于它的下一页（代替 page）。"
            "匹配很多的检索请用它逐页读取，每页耗时相同。",
        )

    def paginate_queryset(  # type: ignore[override]
        self,
        queryset: selectors.CollectedHouseholds | selectors.WalkedHouseholds,
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        response = params.get("response")
        if queryset.count_more and isinstance(response, HttpResponse):
            response[COUNT_LOWER_BOUND_HEADER] = "true"
        if pagination.after is None:
            return super().paginate_queryset(queryset, pagination, request, **params)  # type: ignore[arg-type]
        size = self._get_page_size(pagination.page_size)
        return {"items": queryset.after(pagination.after, size), "count": queryset.count()}


@households_router.get(
    "",
    response={200: list[HouseholdListOut], **READ_ERRORS},
    summary="家庭列表",
    description="管辖范围内的家庭，按编号倒序；可按姓名/拼音/首字母/身份证号、区划、救助类别、"
    f"防返贫监测类型筛选。每页默认 {PAGE_SIZE} 条，page_size 最大 {MAX_PAGE_SIZE}。"
    f"按姓名、拼音或首字母检索、匹配超过 {selectors.SEARCH_COLLECT_MAX:,} 户时只数到 "
    f"{selectors.SEARCH_COLLECT_MAX:,}：count 为下限，响应头 {COUNT_LOWER_BOUND_HEADER}: true；"
    "此时请用 after（上一页最后一户的编号）翻页。",
)
@paginate(HouseholdPages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def household_list(
    request: AuthenticatedRequest, response: HttpResponse, filters: Query[HouseholdFilterIn]
) -> Any:
    services.require(request.user, Capability.VIEW_HOUSEHOLDS)
    return selectors.household_list_paged(
        user=request.user,
        filters=selectors.HouseholdFilters(
            q=filters.q,
            region_code=filters.region,
            category=_plain(filters.category) or "",
            relapse_watch=_plain(filters.relapse_watch) or "",
        ),
    )


def _member_out(member: selectors.MemberView) -> MemberOut:
    person, membership = member.person, member.membership
    return MemberOut(
        person_id=person.pk,
        name=person.name,
        relation=membership.relation,
        relation_display=str(membership.get_relation_display()),
        id_number_masked=person.id_number_masked,
        sex=Sex(person.sex),
        sex_display=str(person.get_sex_display()),
        birth_date=person.birth_date,
        phone=person.phone,
        co_resident=membership.co_resident,
        disability_type=DisabilityType(person.disability_type) if person.disability_type else None,
        disability_type_display=str(person.get_disability_type_display()),
        disability_grade=person.disability_grade,
        health_status=HealthStatus(person.health_status),
        health_status_display=str(person.get_health_status_display()),
        illness_name=person.illness_name,
        labour_capacity=LabourCapacity(person.labour_capacity),
        labour_capacity_display=str(person.get_labour_capacity_display()),
        school_stage=SchoolStage(person.school_stage),
        school_stage_display=str(person.get_school_stage_display()),
        counted_income=member.counted_income,
        incomes=[_income_out(income) for income in member.incomes],
        categories=[Category(c.category) for c in member.categories if c.category],
    )


def _income_out(income: Income) -> IncomeOut:
    return IncomeOut(
        kind=IncomeKind(income.kind),
        kind_display=str(income.get_kind_display()),
        monthly_amount=income.monthly_amount,
        counted=income.kind in COUNTED_INCOME_KINDS,
        description=income.description,
    )


def _household_detail_out(detail: selectors.HouseholdDetail) -> HouseholdDetailOut:
    household = detail.household
    summary = HouseholdOut.from_orm(household).model_dump()
    return HouseholdDetailOut(
        **summary,
        region_full_name=household.region.full_name or household.region.name,
        counted_income_total=detail.counted_income_total,
        income_per_head=detail.income_per_head,
        members=[_member_out(member) for member in detail.members],
        former_members=[
            FormerMemberOut(
                person_id=m.person_id,
                name=m.person.name,
                relation=m.relation,
                relation_display=str(m.get_relation_display()),
                left_on=m.left_on,
                left_reason=m.left_reason,
            )
            for m in detail.former_members
        ],
        assets=[
            AssetOut(
                kind=AssetKind(a.kind),
                kind_display=str(a.get_kind_display()),
                value=a.value,
                owner_person_id=a.person_id,
                owner_name=a.person.name if a.person else "",
                description=a.description,
                for_disability=a.for_disability,
                area_m2=a.area_m2,
            )
            for a in detail.assets
        ],
        expenditures=[
            ExpenditureOut(
                kind=ExpenditureKind(e.kind),
                kind_display=str(e.get_kind_display()),
                amount=e.amount,
                incurred_on=e.incurred_on,
                person_id=e.person_id,
                person_name=e.person.name if e.person else "",
                description=e.description,
            )
            for e in detail.expenditures
        ],
        supporters=[
            SupporterOut(
                name=s.name,
                id_number_masked=s.id_number_masked,
                relation=s.relation,
                relation_display=str(s.get_relation_display()),
                supported_person_id=s.supported_person_id,
                supported_person_name=s.supported_person.name if s.supported_person else "",
                able_to_support=s.able_to_support,
                note=s.note,
            )
            for s in detail.supporters
        ],
        category_history=[
            CategoryStatusOut(
                category=Category(c.category) if c.category else None,
                category_display=str(c.get_category_display()),
                person_id=c.person_id,
                person_name=c.person.name if c.person else "",
                effective_from=c.effective_from,
                effective_to=c.effective_to,
                reason=c.reason,
                decided_by=c.decided_by.username if c.decided_by else "",
            )
            for c in detail.category_history
        ],
        relapse_watch_history=[
            RelapseWatchStatusOut(
                watch_type=RelapseWatchType(w.watch_type) if w.watch_type else None,
                watch_type_display=str(w.get_watch_type_display()),
                effective_from=w.effective_from,
                effective_to=w.effective_to,
                reason=w.reason,
                decided_by=w.decided_by.username if w.decided_by else "",
            )
            for w in detail.relapse_watch_history
        ],
    )


@households_router.get(
    "/{int:household_id}",
    response={200: HouseholdDetailOut, **READ_ERRORS},
    summary="家庭详情",
    description="与家庭页面相同的内容：成员、收入、财产、刚性支出、赡养人、类别历史。"
    "每次读取记入审计日志（渠道 api）。",
)
def household_detail(request: AuthenticatedRequest, household_id: int) -> Any:
    services.require(request.user, Capability.VIEW_HOUSEHOLDS)
    detail = selectors.household_detail(user=request.user, pk=household_id)
    services.household_viewed(
        actor=request.user, household=detail.household, client=client_of(request)
    )
    return _household_detail_out(detail)


def _household_input(payload: HouseholdCreateIn) -> HouseholdInput:
    return HouseholdInput(
        region_code=payload.region_code,
        residence=_plain(payload.residence) or "",
        address=payload.address,
        phone=payload.phone,
        members=[
            MemberInput(
                id_number=m.id_number,
                name=m.name,
                relation=m.relation,
                co_resident=m.co_resident,
                phone=m.phone,
                disability_type=_plain(m.disability_type) or "",
                disability_grade=m.disability_grade,
                health_status=_plain(m.health_status),
                illness_name=m.illness_name,
                labour_capacity=_plain(m.labour_capacity),
                school_stage=_plain(m.school_stage),
                incomes=[
                    IncomeInput(
                        kind=_plain(i.kind),
                        monthly_amount=i.monthly_amount,
                        description=i.description,
                    )
                    for i in m.incomes
                ],
            )
            for m in payload.members
        ],
        assets=[
            AssetInput(
                kind=_plain(a.kind),
                value=a.value,
                description=a.description,
                for_disability=a.for_disability,
                area_m2=a.area_m2,
                owner_id_number=a.owner_id_number,
            )
            for a in payload.assets
        ],
        expenditures=[
            ExpenditureInput(
                kind=_plain(e.kind),
                amount=e.amount,
                incurred_on=e.incurred_on,
                description=e.description,
                person_id_number=e.person_id_number,
            )
            for e in payload.expenditures
        ],
    )


def _problems_out(
    problems: list[services.Problem], payload: HouseholdCreateIn
) -> ValidationErrorOut:
    return ValidationErrorOut(
        detail=f"家庭信息有 {len(problems)} 处错误，未保存任何内容",
        errors=[
            ProblemOut(
                member=p.member,
                member_name=payload.members[p.member].name
                if p.member is not None and p.member < len(payload.members)
                else "",
                field=p.field,
                value=mask_value(p.field, p.value),
                reason=p.reason,
            )
            for p in problems
        ],
    )


@households_router.post(
    "",
    response={201: HouseholdOut, **WRITE_ERRORS},
    summary="新建家庭",
    description="建档一户家庭及其成员、收入，可同时申报财产和刚性支出。整户校验通过才写入；"
    "否则返回 422，errors 逐项列出成员序号、姓名、字段、值和原因。",
)
def household_create(request: AuthenticatedRequest, payload: HouseholdCreateIn) -> Any:
    services.require(request.user, Capability.EDIT_HOUSEHOLDS)
    try:
        result = services.households_create(
            actor=request.user, households=[_household_input(payload)], client=client_of(request)
        )
    except services.HouseholdValidationError as exc:
        return Status(422, _problems_out(exc.problems, payload))
    household = selectors.household_get(user=request.user, pk=result.households[0].pk)
    return Status(201, household)


@households_router.patch(
    "/{int:household_id}",
    response={200: HouseholdOut, **WRITE_ERRORS},
    summary="修改家庭信息",
    description="修改住址、电话、城乡类别，或迁到管辖范围内的另一个村(居)委会；只改提交的字段。",
)
def household_update(
    request: AuthenticatedRequest, household_id: int, payload: HouseholdUpdateIn
) -> Any:
    services.require(request.user, Capability.EDIT_HOUSEHOLDS)
    household = selectors.household_get(user=request.user, pk=household_id)
    data = {
        ("region_id" if name == "region_code" else name): _plain(value)
        for name, value in payload.changes().items()
    }
    services.household_update(
        actor=request.user, household=household, data=data, client=client_of(request)
    )
    return selectors.household_get(user=request.user, pk=household_id)


def _id_hash(request: AuthenticatedRequest, id_number: str) -> str:
    """The blind index searched for; a text that is no whole ID number matches nobody."""
    number = identity.full_id_number(id_number)
    return identity.blind_index(number) if number else "-"


@households_router.post(
    "/search",
    response={200: list[HouseholdListOut], **WRITE_ERRORS},
    summary="按身份证号查找家庭",
    description="完整身份证号放在请求体中（不进入网址和访问日志）；其余筛选与家庭列表相同。"
    "只查找管辖范围内的家庭，不改变任何数据。",
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def household_search(request: AuthenticatedRequest, payload: HouseholdIdSearchIn) -> Any:
    services.require(request.user, Capability.VIEW_HOUSEHOLDS)
    households = selectors.household_list(
        user=request.user,
        filters=selectors.HouseholdFilters(
            region_code=payload.region,
            category=_plain(payload.category) or "",
            relapse_watch=_plain(payload.relapse_watch) or "",
            id_hash=_id_hash(request, payload.id_number),
        ),
    )
    return _audit_id_search(request, payload.id_number, households)


# --- persons -----------------------------------------------------------------------------------


def _with_household(queryset: QuerySet[Person]) -> QuerySet[Person]:
    current = Membership.objects.filter(person=OuterRef("pk"), left_on__isnull=True).values(
        "household_id"
    )[:1]
    return queryset.annotate(current_household_id=Subquery(current))


@persons_router.get(
    "",
    response={200: list[PersonListOut], **READ_ERRORS},
    summary="人员列表",
    description="管辖范围内的人员，可按姓名/拼音/首字母/身份证号、区划筛选。"
    f"每页默认 {PAGE_SIZE} 条，page_size 最大 {MAX_PAGE_SIZE}。",
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def person_list(request: AuthenticatedRequest, filters: Query[PersonFilterIn]) -> Any:
    services.require(request.user, Capability.VIEW_HOUSEHOLDS)
    persons = selectors.person_list(user=request.user, q=filters.q, region_code=filters.region)
    return _with_household(persons)


def _audit_id_search(request: AuthenticatedRequest, id_number: str, found: Any) -> Any:
    """The search by a whole ID number is audited (masked number and blind index only)."""
    number = identity.full_id_number(id_number)
    if number:
        services.id_number_searched(
            actor=request.user,
            id_number_hash=identity.blind_index(number),
            masked=identity.mask_id_number(number),
            found=found.count(),
            client=client_of(request),
        )
    return found


@persons_router.post(
    "/search",
    response={200: list[PersonListOut], **WRITE_ERRORS},
    summary="按身份证号查找人员",
    description="完整身份证号放在请求体中（不进入网址和访问日志）；只查找管辖范围内的人员。",
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def person_search(request: AuthenticatedRequest, payload: PersonIdSearchIn) -> Any:
    services.require(request.user, Capability.VIEW_HOUSEHOLDS)
    persons = selectors.person_list(
        user=request.user, region_code=payload.region, id_hash=_id_hash(request, payload.id_number)
    )
    return _with_household(_audit_id_search(request, payload.id_number, persons))


def _person_detail_out(person: Person) -> PersonDetailOut:
    membership = (
        Membership.objects.filter(person=person, left_on__isnull=True).order_by("-id").first()
    )
    incomes = (
        list(Income.objects.filter(person=person, household_id=membership.household_id))
        if membership is not None
        else []
    )
    return PersonDetailOut(
        id=person.pk,
        name=person.name,
        id_number_masked=person.id_number_masked,
        sex=Sex(person.sex),
        sex_display=str(person.get_sex_display()),
        birth_date=person.birth_date,
        phone=person.phone,
        region_code=person.region_id,
        region_name=person.region.name,
        disability_type=DisabilityType(person.disability_type) if person.disability_type else None,
        disability_type_display=str(person.get_disability_type_display()),
        disability_grade=person.disability_grade,
        health_status=HealthStatus(person.health_status),
        health_status_display=str(person.get_health_status_display()),
        illness_name=person.illness_name,
        labour_capacity=LabourCapacity(person.labour_capacity),
        labour_capacity_display=str(person.get_labour_capacity_display()),
        school_stage=SchoolStage(person.school_stage),
        school_stage_display=str(person.get_school_stage_display()),
        household=MembershipOut(
            household_id=membership.household_id,
            relation=membership.relation,
            relation_display=str(membership.get_relation_display()),
            co_resident=membership.co_resident,
            joined_on=membership.joined_on,
        )
        if membership is not None
        else None,
        incomes=[_income_out(income) for income in incomes],
    )


@persons_router.get(
    "/{int:person_id}",
    response={200: PersonDetailOut, **READ_ERRORS},
    summary="人员详情",
    description="人员的基本情况、当前家庭及收入。每次读取记入审计日志（渠道 api）。",
)
def person_detail(request: AuthenticatedRequest, person_id: int) -> Any:
    services.require(request.user, Capability.VIEW_HOUSEHOLDS)
    person = selectors.person_get(user=request.user, pk=person_id)
    services.person_viewed(actor=request.user, person=person, client=client_of(request))
    return _person_detail_out(person)


@persons_router.patch(
    "/{int:person_id}",
    response={200: PersonDetailOut, **WRITE_ERRORS},
    summary="修改人员情况",
    description="修改姓名、电话、残疾、健康、劳动能力、在学情况，以及在当前家庭中的关系和是否共同"
    "生活；只改提交的字段。disability_type 为 null 表示无残疾。",
)
def person_update(request: AuthenticatedRequest, person_id: int, payload: PersonUpdateIn) -> Any:
    services.require(request.user, Capability.EDIT_HOUSEHOLDS)
    person = selectors.person_get(user=request.user, pk=person_id)
    membership = Membership.objects.filter(person=person, left_on__isnull=True).first()
    if membership is None:
        raise services.RegistryError("该人员当前不在任何家庭中，无法修改")
    household = selectors.household_get(user=request.user, pk=membership.household_id)
    data = {name: _plain(value) for name, value in payload.changes().items()}
    if "disability_type" in data and data["disability_type"] is None:
        data["disability_type"] = ""
    services.member_update(
        actor=request.user, household=household, person=person, data=data, client=client_of(request)
    )
    return _person_detail_out(selectors.person_get(user=request.user, pk=person_id))
