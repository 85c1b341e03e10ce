"""Synthetic families: who lives together, how old they are, what they are called, their
health, schooling and ability to work, and ID numbers issued in the county."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from safetynet.registry import identity
from safetynet.registry.choices import (
    DisabilityType,
    HealthStatus,
    LabourCapacity,
    Residence,
    SchoolStage,
)
from safetynet.registry.inputs import HouseholdInput, MemberInput, SupporterInput
from safetynet.registry.relations import HEAD
from safetynet.registry.synthetic import economy
from safetynet.registry.synthetic.people import SyntheticMember, Weighted, add_years, age_on
from safetynet.registry.synthetic.vocabulary import (
    AS_OF,
    CHRONIC_ILLNESS_RATE,
    CHRONIC_ILLNESSES,
    DISABILITY_GRADES,
    DISABILITY_RATE,
    DISABILITY_TYPES,
    GIVEN_NAME_CHARS,
    ONE_CHAR_SHARE,
    SERIOUS_ILLNESS_RATE,
    SERIOUS_ILLNESSES,
    STRUCTURES,
    SURNAMES,
)


@dataclass(frozen=True)
class Village:
    code: str
    residence: str
    address_prefix: str


# Birth years before which a cohort's naming fashion applies.
# Share of elderly households with adult children living elsewhere, and of those children able
# to support (the others in a case of 《特困人员认定办法》 art. 9).
AWAY_CHILDREN_SHARE = 0.85
AWAY_ABLE_SHARE = 0.9
AWAY_UNABLE_NOTES = (
    "重度残疾，本人收入低于上年度人均可支配收入（第九条第（四）项）",
    "在监狱服刑（第九条第（五）项）",
    "本人为特困人员（第九条第（一）项）",
)

_COHORTS = [(1965, "1950s"), (1985, "1970s"), (2005, "1990s"), (10000, "2010s")]

# How many children (or grandchildren) a household shape has.
_CHILDREN = Weighted([(1, 40), (2, 45), (3, 15)])
_CHILDREN_SINGLE_PARENT = Weighted([(1, 60), (2, 40)])
_GRANDCHILDREN_LEFT_BEHIND = Weighted([(1, 55), (2, 45)])
_GRANDCHILDREN = Weighted([(1, 45), (2, 42), (3, 13)])
_SCHOOL_15_17 = Weighted(
    [(SchoolStage.SENIOR, 58), (SchoolStage.VOCATIONAL, 32), (SchoolStage.NONE, 10)]
)
_SCHOOL_18_21 = Weighted(
    [(SchoolStage.UNIVERSITY, 28), (SchoolStage.HIGHER_VOCATIONAL, 24), (SchoolStage.NONE, 48)]
)
_DISABILITY_TYPES = Weighted(DISABILITY_TYPES)
_DISABILITY_GRADES = Weighted(DISABILITY_GRADES)
_SURNAMES = Weighted(SURNAMES)
_STRUCTURES = Weighted(STRUCTURES)


def _by_age(age: int, table: list[tuple[int, float]]) -> float:
    """The rate of the first age band (upper bound exclusive) that ``age`` falls in."""
    for limit, rate in table:
        if age < limit:
            return rate
    raise ValueError(f"no age band for {age}")


class HouseholdGenerator:
    """Builds households one at a time from a seeded generator. Never touches global state."""

    def __init__(
        self, *, county_code: str, villages: list[Village], seed: int, as_of: dt.date = AS_OF
    ) -> None:
        self.rng = random.Random(seed)
        # Children living elsewhere are drawn from their own generator, so that adding them
        # left every household drawn before unchanged.
        self.away_rng = random.Random(f"{seed}-away")
        self.address_code = county_code[:6]
        self.villages = villages
        self.as_of = as_of
        # (birth date, male) -> sequence numbers already issued, so no two people share an ID.
        self._issued: dict[tuple[dt.date, bool], set[int]] = {}
        self.last_kind = ""

    # -- small draws ---------------------------------------------------------------------------

    def surname(self) -> str:
        return _SURNAMES.draw(self.rng)

    def given_name(self, sex: str, birth: dt.date) -> str:
        year = birth.year
        cohort = next(c for limit, c in _COHORTS if year < limit)
        chars = GIVEN_NAME_CHARS[(sex, cohort)]
        if self.rng.random() < ONE_CHAR_SHARE[cohort]:
            return self.rng.choice(chars)
        first = self.rng.choice(chars)
        # Doubled names (婷婷, 欢欢) are a fashion for girls born since the 1980s.
        if sex == "female" and cohort in ("1990s", "2010s") and self.rng.random() < 0.06:
            return first + first
        second = self.rng.choice(chars)
        while second == first:
            second = self.rng.choice(chars)
        return first + second

    def birth_between(self, earliest: dt.date, latest: dt.date) -> dt.date:
        span = (latest - earliest).days
        return earliest + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def birth_aged(self, lo: int, hi: int) -> dt.date:
        """A birth date for someone aged ``lo``..``hi`` (inclusive) on the as-of date."""
        earliest = add_years(self.as_of, -(hi + 1)) + dt.timedelta(days=1)
        return self.birth_between(earliest, add_years(self.as_of, -lo))

    def child_sex(self, birth: dt.date) -> str:
        # Henan's sex ratio at birth was well above 110 for children born 1990–2015.
        p_male = 0.53 if 1988 <= birth.year <= 2015 else 0.51
        return "male" if self.rng.random() < p_male else "female"

    # -- people --------------------------------------------------------------------------------

    def adult(
        self, sex: str, lo: int, hi: int, relation: str, surname: str = ""
    ) -> SyntheticMember:
        return SyntheticMember(surname or self.surname(), sex, self.birth_aged(lo, hi), relation)

    def spouse(self, partner: SyntheticMember, relation: str) -> SyntheticMember:
        """Husbands are usually a little older: the gap is -2..+7 years, most often +2."""
        gap = round(self.rng.triangular(-2, 7, 2))
        shift = gap if partner.male else -gap
        birth = add_years(partner.birth, shift) + dt.timedelta(days=self.rng.randint(-180, 180))
        # Both at least 20 on the as-of date and not born after it.
        birth = min(birth, add_years(self.as_of, -20))
        sex = "female" if partner.male else "male"
        return SyntheticMember(self.surname(), sex, birth, relation)

    def children_of(
        self,
        parents: list[SyntheticMember],
        count: int,
        *,
        surname: str,
        max_age: int,
        min_age: int = 0,
        relations: str = "child",
    ) -> list[SyntheticMember]:
        """Up to ``count`` children born while every parent was 20–40, at least ten months
        apart, aged ``min_age``..``max_age``; relation codes by birth order and sex."""
        earliest = max(add_years(p.birth, 20) for p in parents)
        latest = min(add_years(p.birth, 40) for p in parents)
        earliest = max(earliest, add_years(self.as_of, -(max_age + 1)) + dt.timedelta(days=1))
        latest = min(latest, add_years(self.as_of, -min_age))
        if latest < earliest:
            return []
        births: list[dt.date] = []
        for _ in range(count):
            birth = self.birth_between(earliest, latest)
            if all(abs((birth - other).days) >= 300 for other in births):
                births.append(birth)
        births.sort()
        kids = [SyntheticMember(surname, self.child_sex(b), b, "") for b in births]
        sons = [k for k in kids if k.male]
        daughters = [k for k in kids if not k.male]
        for kid in kids:
            if relations == "grandchild":
                kid.relation = "41" if kid.male else "42"
            elif len(kids) == 1:
                kid.relation = "21" if kid.male else "31"
            elif kid.male:
                kid.relation = str(22 + sons.index(kid)) if sons.index(kid) < 5 else "29"
            else:
                kid.relation = str(32 + daughters.index(kid)) if daughters.index(kid) < 5 else "39"
        return kids

    def parent_of(
        self, child: SyntheticMember, sex: str, relation: str, surname: str = ""
    ) -> SyntheticMember:
        """A parent born 20–40 years before ``child`` (22–40 for a father), at most 95 now."""
        lo_gap = 22 if sex == "male" else 20
        earliest = max(add_years(child.birth, -40), add_years(self.as_of, -95))
        latest = add_years(child.birth, -lo_gap)
        return SyntheticMember(
            surname or self.surname(), sex, self.birth_between(earliest, latest), relation
        )

    # -- household shapes ----------------------------------------------------------------------

    def _couple(
        self, lo: int, hi: int
    ) -> tuple[SyntheticMember, SyntheticMember, SyntheticMember, SyntheticMember]:
        """Head and spouse; returns (head, spouse, husband, wife). Most heads are husbands."""
        husband = self.adult("male", lo, hi, HEAD)
        wife = self.spouse(husband, "12")
        if self.rng.random() < 0.15:
            husband.relation, wife.relation = "11", HEAD
            return wife, husband, husband, wife
        return husband, wife, husband, wife

    def structure(self, kind: str) -> list[SyntheticMember]:
        r = self.rng
        if kind == "single_elderly":
            return [self.adult("female" if r.random() < 0.6 else "male", 65, 92, HEAD)]
        if kind == "single_adult":
            return [self.adult("male" if r.random() < 0.65 else "female", 25, 64, HEAD)]
        if kind == "elderly_couple":
            head, spouse, _, _ = self._couple(62, 86)
            return [head, spouse]
        if kind == "couple":
            head, spouse, _, _ = self._couple(22, 59)
            return [head, spouse]
        if kind == "couple_children":
            head, spouse, husband, wife = self._couple(24, 58)
            count = _CHILDREN.draw(r)
            kids = self.children_of([husband, wife], count, surname=husband.surname, max_age=25)
            return [head, spouse, *kids]
        if kind == "three_generations":
            if r.random() < 0.55:
                return self._three_generations_elder_head()
            return self._three_generations_middle_head()
        if kind == "single_parent":
            sex = "female" if r.random() < 0.6 else "male"
            parent = self.adult(sex, 28, 55, HEAD)
            surname = parent.surname if sex == "male" or r.random() < 0.15 else self.surname()
            count = _CHILDREN_SINGLE_PARENT.draw(r)
            kids = self.children_of([parent], count, surname=surname, max_age=22)
            return [parent, *kids]
        if kind == "couple_with_parent":
            head, spouse, husband, wife = self._couple(35, 60)
            elder = self.parent_of(
                husband, "female" if r.random() < 0.65 else "male", "", surname=husband.surname
            )
            if head is husband:
                elder.relation = "52" if elder.sex == "female" else "51"
            else:
                elder.relation = "54" if elder.sex == "female" else "53"
            if elder.sex == "female":
                elder.surname = self.surname()
            return [head, spouse, elder]
        if kind == "skipped_generation":
            if r.random() < 0.7:
                head, spouse, husband, wife = self._couple(55, 78)
                elders = [head, spouse]
                couple = [husband, wife]
            else:
                head = self.adult("female", 55, 78, HEAD)
                elders = [head]
                couple = [head]
            # The absent parent (a son working away) fixes when the grandchildren were born.
            son = self.children_of(couple, 1, surname=elders[0].surname, max_age=45, min_age=23)
            if not son:
                return elders
            son[0].sex = "male"
            count = _GRANDCHILDREN_LEFT_BEHIND.draw(r)
            kids = self.children_of(
                [son[0]], count, surname=son[0].surname, max_age=16, relations="grandchild"
            )
            return [*elders, *kids]
        if kind == "elderly_with_adult_child":
            if r.random() < 0.6:
                head, spouse, husband, wife = self._couple(55, 85)
                elders, parents = [head, spouse], [husband, wife]
            else:
                head = self.adult("female" if r.random() < 0.7 else "male", 55, 85, HEAD)
                elders, parents = [head], [head]
            surname = next((p.surname for p in parents if p.male), self.surname())
            child = self.children_of(parents, 1, surname=surname, max_age=55, min_age=25)
            for kid in child:  # brothers and sisters may live elsewhere: not 独生子女
                kid.relation = "20" if kid.male else "30"
            return [*elders, *child]
        raise ValueError(f"unknown household structure {kind!r}")

    def _three_generations_elder_head(self) -> list[SyntheticMember]:
        head, spouse, husband, wife = self._couple(52, 80)
        members = [head] if self.rng.random() < 0.2 else [head, spouse]
        parents = [husband, wife]
        adults = self.children_of(parents, 1, surname=husband.surname, max_age=50, min_age=22)
        if not adults:
            return members
        child = adults[0]
        if child.male:
            child.relation = "22" if self.rng.random() < 0.6 else "20"
            in_law = self.spouse(child, "38")  # 儿媳
            father, mother = child, in_law
        else:  # a married daughter whose husband lives with her parents (上门女婿)
            child.relation = "32" if self.rng.random() < 0.6 else "30"
            in_law = self.spouse(child, "28")  # 女婿
            father, mother = in_law, child
        count = _GRANDCHILDREN.draw(self.rng)
        grandkids = self.children_of(
            [father, mother], count, surname=father.surname, max_age=25, relations="grandchild"
        )
        if not child.male:
            for kid in grandkids:
                kid.relation = "43" if kid.male else "44"
        return [*members, child, in_law, *grandkids]

    def _three_generations_middle_head(self) -> list[SyntheticMember]:
        head, spouse, husband, wife = self._couple(28, 55)
        count = _CHILDREN.draw(self.rng)
        kids = self.children_of([husband, wife], count, surname=husband.surname, max_age=25)
        elders: list[SyntheticMember] = []
        # The head's own parents; when a husband heads the household, sometimes his wife's.
        of = head if self.rng.random() < 0.85 else spouse
        own = of is head
        both = self.rng.random() < 0.45
        sexes = ["male", "female"] if both else ["female" if self.rng.random() < 0.65 else "male"]
        for sex in sexes:
            if own:
                relation = "51" if sex == "male" else "52"
            elif of.male:  # the wife heads; these are her husband's parents
                relation = "53" if sex == "male" else "54"
            else:
                relation = "55" if sex == "male" else "56"
            if elders:  # the second parent is the first one's spouse
                elder = self.spouse(elders[0], relation)
                elder.birth = min(
                    max(elder.birth, add_years(of.birth, -40)), add_years(of.birth, -20)
                )
            else:
                surname = of.surname if sex == "male" else ""
                elder = self.parent_of(of, sex, relation, surname=surname)
            elders.append(elder)
        return [head, spouse, *elders, *kids]

    # -- circumstances -------------------------------------------------------------------------

    def circumstances(self, member: SyntheticMember, *, adult_child: bool) -> None:
        r = self.rng
        age = age_on(member.birth, self.as_of)
        p_disabled = _by_age(age, DISABILITY_RATE)
        if adult_child:
            p_disabled = max(p_disabled, 0.25)
        if r.random() < p_disabled:
            member.disability_type = _DISABILITY_TYPES.draw(r)
            member.disability_grade = _DISABILITY_GRADES.draw(r)
        p_serious = _by_age(age, SERIOUS_ILLNESS_RATE)
        p_chronic = _by_age(age, CHRONIC_ILLNESS_RATE)
        draw = r.random()
        if draw < p_serious:
            member.health_status = HealthStatus.SERIOUS
            member.illness_name = r.choice(SERIOUS_ILLNESSES)
        elif draw < p_serious + p_chronic:
            member.health_status = HealthStatus.CHRONIC
            member.illness_name = r.choice(CHRONIC_ILLNESSES)
        member.school_stage = self._school_stage(age, member)
        member.labour_capacity = self._labour_capacity(age, member)

    def _school_stage(self, age: int, member: SyntheticMember) -> str:
        r = self.rng
        severe = member.disability_grade in (1, 2) and member.disability_type in (
            DisabilityType.INTELLECTUAL,
            DisabilityType.MULTIPLE,
            DisabilityType.MENTAL,
        )
        if severe or age < 3 or age > 23:
            return SchoolStage.NONE
        if age <= 5:
            return SchoolStage.PRESCHOOL if r.random() < 0.88 else SchoolStage.NONE
        if age <= 11:
            return SchoolStage.PRIMARY
        if age <= 14:
            return SchoolStage.JUNIOR
        if age <= 17:
            return _SCHOOL_15_17.draw(r)
        if age <= 21:
            return _SCHOOL_18_21.draw(r)
        return SchoolStage.UNIVERSITY if r.random() < 0.12 else SchoolStage.NONE

    def _labour_capacity(self, age: int, member: SyntheticMember) -> str:
        r = self.rng
        order = [LabourCapacity.FULL, LabourCapacity.PARTIAL, LabourCapacity.NONE]
        if age < 16:
            return LabourCapacity.NONE
        if age < 60:
            by_age = LabourCapacity.FULL
        elif age < 70:
            by_age = LabourCapacity.FULL if r.random() < 0.5 else LabourCapacity.PARTIAL
        elif age < 80:
            by_age = LabourCapacity.PARTIAL if r.random() < 0.7 else LabourCapacity.NONE
        else:
            by_age = LabourCapacity.NONE
        by_health = LabourCapacity.FULL
        if member.disability_grade in (1, 2):
            by_health = LabourCapacity.NONE
        elif member.disability_grade in (3, 4):
            by_health = LabourCapacity.PARTIAL
        if member.health_status == HealthStatus.SERIOUS:
            worse = LabourCapacity.NONE if r.random() < 0.4 else LabourCapacity.PARTIAL
            by_health = max(by_health, worse, key=order.index)
        elif member.health_status == HealthStatus.CHRONIC and r.random() < 0.2:
            by_health = max(by_health, LabourCapacity.PARTIAL, key=order.index)
        return max(by_age, by_health, key=order.index)

    # -- identity ------------------------------------------------------------------------------

    def issue_id(self, member: SyntheticMember) -> str:
        """An ID born in this county; the sequence is drawn, then probed until unused."""
        birth = member.birth
        while True:
            taken = self._issued.setdefault((birth, member.male), set())
            if len(taken) < 500:
                break
            birth += dt.timedelta(days=1)  # 500 people of one sex born that day: move a day on
        member.birth = birth
        sequence = self.rng.randrange(500)
        while sequence in taken:
            sequence = (sequence + 1) % 500
        taken.add(sequence)
        return identity.build_id_number(
            address_code=self.address_code, birth_date=birth, sequence=sequence, male=member.male
        )

    # -- one household -------------------------------------------------------------------------

    def household(self) -> HouseholdInput:
        village = self.villages[self.rng.randrange(len(self.villages))]
        kind = _STRUCTURES.draw(self.rng)
        self.last_kind = kind  # the province seed draws its categories by household shape
        members = self.structure(kind)
        for member in members:
            member.name = member.surname + self.given_name(member.sex, member.birth)
            # Elderly parents living with an adult child: often the child has a disability.
            adult_child = kind == "elderly_with_adult_child" and member.relation in ("20", "30")
            self.circumstances(member, adult_child=adult_child)
        for member in members:
            member.id_number = self.issue_id(member)
        residence = village.residence
        economy.add_incomes(self.rng, members, residence=residence, as_of=self.as_of)
        assets = economy.household_assets(self.rng, members, residence=residence)
        expenditures = economy.household_expenditures(self.rng, members, as_of=self.as_of)
        category, watch = economy.household_status(
            self.rng, members, assets, expenditures, residence=residence
        )
        if village.residence == Residence.RURAL:
            address = (
                f"{village.address_prefix}{self.rng.randint(1, 12)}组{self.rng.randint(1, 160)}号"
            )
        else:
            address = (
                f"{village.address_prefix}{self.rng.randint(1, 36)}号楼"
                f"{self.rng.randint(1, 4)}单元{self.rng.randint(1, 18)}0{self.rng.randint(1, 4)}室"
            )
        supporters = self.children_away(kind, members)
        return HouseholdInput(
            region_code=village.code,
            residence=village.residence,
            address=address,
            members=[
                MemberInput(
                    id_number=m.id_number,
                    name=m.name,
                    relation=m.relation,
                    disability_type=m.disability_type,
                    disability_grade=m.disability_grade,
                    health_status=m.health_status,
                    illness_name=m.illness_name,
                    labour_capacity=m.labour_capacity,
                    school_stage=m.school_stage,
                    incomes=m.incomes,
                )
                for m in members
            ],
            assets=assets,
            expenditures=expenditures,
            category=category,
            relapse_watch=watch,
            supporters=supporters,
        )

    # -- legal supporters living elsewhere -----------------------------------------------------

    def children_away(self, kind: str, members: list[SyntheticMember]) -> list[SupporterInput]:
        """The adult children of an elderly household who live elsewhere (most elderly people
        living alone have some: 《特困人员认定办法》 looks at them too), and the migrant parents
        of left-behind grandchildren. Most are able to support; the others are registered with
        a case of art. 9."""
        r = self.away_rng
        if kind in ("single_elderly", "elderly_couple"):
            if r.random() >= AWAY_CHILDREN_SHARE:
                return []
            count = r.choice([1, 1, 2, 2, 3])
        elif kind == "skipped_generation":
            count = 1 if r.random() < 0.95 else 0
        else:
            return []
        head = next(m for m in members if m.relation == HEAD)
        supporters = []
        for _ in range(count):
            male = r.random() < 0.55
            birth = add_years(head.birth, 22 + r.randrange(14)) + dt.timedelta(
                days=r.randrange(365)
            )
            birth = min(birth, add_years(self.as_of, -20))
            able = r.random() < AWAY_ABLE_SHARE
            given = r.choice(GIVEN_NAME_CHARS[("male" if male else "female", "1970s")])
            supporters.append(
                SupporterInput(
                    name=(head.surname if male else self.surname_from(r)) + given,
                    relation="20" if male else "30",
                    able_to_support=able,
                    # Sequences 500–999: never issued to a household member (0–499).
                    id_number=identity.build_id_number(
                        address_code=self.address_code,
                        birth_date=birth,
                        sequence=500 + r.randrange(500),
                        male=male,
                    ),
                    note="外出务工" if able else r.choice(AWAY_UNABLE_NOTES),
                )
            )
        return supporters

    def surname_from(self, r: random.Random) -> str:
        return _SURNAMES.draw(r)
