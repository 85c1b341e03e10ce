"""Every threshold and list of the classification rules, in one place (ADR 0005).

The row-by-row classifier reads these names and the set-based engine generates its SQL from
them (``sql_in``), so a rule is changed here, once, and both engines follow. National rules live
here; local figures (dibao standard, income-drop share, employment-cost deduction, the province's
other cases of art. 9) are standards, set per region.

Sources:
- 《特困人员认定办法》（民发〔2021〕43号）: art. 6 (无劳动能力), art. 9 (无履行义务能力), art. 24
  (a destitute minor keeps the support until 18, and past 18 while in compulsory education,
  普通高中 or 中等职业学校).
- 《中华人民共和国民法典》 art. 1059 (spouses), 1067 (parents and children), 1074 (grandparents
  and grandchildren), 1075 (brothers and sisters).
- 《最低生活保障审核确认办法》（民发〔2021〕57号）: necessary employment costs may be deducted
  from counted wages.
"""

from __future__ import annotations

from collections.abc import Iterable

# --- ages (completed years) ------------------------------------------------------------------

AGE_ELDERLY = 60  # 办法 art. 6(1): 60 and over cannot work; art. 9(2): dibao recipients 60+
AGE_WORK = 16  # 办法 art. 6(2): under 16 cannot work
AGE_ADULT = 18  # 民法典 art. 17; 办法 art. 24: a destitute minor stays destitute until 18
AGE_SUPPORTER_OLD = 70  # 办法 art. 9(3)

# --- disabilities ----------------------------------------------------------------------------

# 办法 art. 6(3): the disabilities with which a person cannot work, type → grades.
CANNOT_WORK_DISABILITY: dict[str, tuple[int, ...]] = {
    "intellectual": (1, 2, 3),
    "mental": (1, 2, 3),
    "physical": (1, 2),
    "visual": (1,),
}
# 重度残疾: grades 1–2 of any type (办法 art. 9(4); individual dibao, 豫政办〔2022〕103号 四(一)).
SEVERE_GRADES: tuple[int, ...] = (1, 2)
# Grade 3 counts as well for these types (art. 9(4); individual dibao).
GRADE3_TYPES: tuple[str, ...] = ("intellectual", "mental")
GRADE3 = 3

# --- school stages (registry SchoolStage values) ---------------------------------------------

# 办法 art. 24: past 18, support continues in compulsory education, 普通高中 or 中职 — not in
# 高职 or university. Also what 民法典 art. 1067 "不能独立生活的成年子女" covers by schooling
# (高中及以下学历教育).
CONTINUING_SCHOOL_STAGES: tuple[str, ...] = ("primary", "junior", "senior", "vocational")

# Labour capacities (registry LabourCapacity values) with which an adult child cannot live
# independently (民法典 art. 1067; 最高人民法院婚姻家庭编解释（一）第四十一条).
LABOUR_NOT_INDEPENDENT: tuple[str, ...] = ("none", "partial")

# --- relation codes (GB/T 4761, relative to the head) ----------------------------------------

HEAD = ("01", "02")
SPOUSE = ("10", "11", "12")
# 子 20–27, 29 and 女 30–37, 39 (28 女婿 and 38 儿媳 are children-in-law).
CHILD = tuple(f"{n}" for n in (*range(20, 28), 29, *range(30, 38), 39))
GRANDCHILD = ("40", "41", "42", "43", "44", "49")
PARENT = ("50", "51", "52", "57", "58", "59")
PARENT_IN_LAW = ("53", "54", "55", "56")  # the spouse's parents
GRANDPARENT = ("60", "61", "62", "63", "64", "69")
SIBLING = ("70", "71", "73", "75", "77", "79")

# Kinships between two co-resident members: (relation group of A, of B, what A is to B).
# Children-in-law (28, 38) are left out: the codes do not say whose spouse they are.
SPOUSE_OF, PARENT_OF, CHILD_OF = "spouse", "parent", "child"
GRANDPARENT_OF, GRANDCHILD_OF, SIBLING_OF = "grandparent", "grandchild", "sibling"
_DOWNWARD: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (HEAD, CHILD, PARENT_OF),
    (SPOUSE, CHILD, PARENT_OF),
    (PARENT, HEAD, PARENT_OF),
    (PARENT_IN_LAW, SPOUSE, PARENT_OF),
    (PARENT, CHILD, GRANDPARENT_OF),
    (PARENT_IN_LAW, CHILD, GRANDPARENT_OF),
    (GRANDPARENT, HEAD, GRANDPARENT_OF),
    (HEAD, GRANDCHILD, GRANDPARENT_OF),
    (SPOUSE, GRANDCHILD, GRANDPARENT_OF),
)
_REVERSE = {PARENT_OF: CHILD_OF, GRANDPARENT_OF: GRANDCHILD_OF}
KINSHIPS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (HEAD, SPOUSE, SPOUSE_OF),
    (SPOUSE, HEAD, SPOUSE_OF),
    (PARENT, PARENT, SPOUSE_OF),
    (PARENT_IN_LAW, PARENT_IN_LAW, SPOUSE_OF),
    *_DOWNWARD,
    *((b, a, _REVERSE[kind]) for a, b, kind in _DOWNWARD),
    (SIBLING, HEAD, SIBLING_OF),
    (HEAD, SIBLING, SIBLING_OF),
    (SIBLING, SIBLING, SIBLING_OF),
    (CHILD, CHILD, SIBLING_OF),
)

# The Civil Code article behind each kinship's duty.
KINSHIP_ARTICLES = {
    SPOUSE_OF: "民法典第一千零五十九条",
    PARENT_OF: "民法典第一千零六十七条",
    CHILD_OF: "民法典第一千零六十七条",
    GRANDPARENT_OF: "民法典第一千零七十四条",
    GRANDCHILD_OF: "民法典第一千零七十四条",
    SIBLING_OF: "民法典第一千零七十五条",
}
# The duty a supporter of each kinship bears towards the person: 扶养 (spouses, siblings),
# 抚养 (to children and grandchildren), 赡养 (to parents and grandparents).
KINSHIP_DUTY = {
    SPOUSE_OF: "扶养",
    PARENT_OF: "抚养",
    CHILD_OF: "赡养",
    GRANDPARENT_OF: "抚养",
    GRANDCHILD_OF: "赡养",
    SIBLING_OF: "扶养",
}

# Outside supporters are registered with their relation to the person they support; these say
# that the supporter is the person's parent or child (for the order of 民法典 art. 1074/1075).
OUTSIDE_PARENT = PARENT + PARENT_IN_LAW
OUTSIDE_CHILD = (*CHILD, "28", "38")


def kinship(a_relation: str, b_relation: str) -> str | None:
    """What member A is to member B from their relations to the head, or None."""
    for a_group, b_group, kind in KINSHIPS:
        if a_relation in a_group and b_relation in b_group:
            return kind
    return None


# --- art. 9: supporters unable to support ----------------------------------------------------

# Legal statuses of a person (registry Person.legal_status) that art. 9(5) names.
LEGAL_STATUSES_UNABLE: tuple[str, ...] = ("no_capacity", "missing", "imprisoned")

ART9_DESTITUTE = "art9_1"  # (一) 特困人员
ART9_OLD_DIBAO = "art9_2"  # (二) 60 周岁以上的最低生活保障对象
ART9_OLD = "art9_3"  # (三) 70 周岁以上，本人收入低于上年人均可支配收入，财产符合规定
ART9_DISABLED = "art9_4"  # (四) 重度残疾或三级智力、精神残疾，收入、财产同上
ART9_LEGAL = "art9_5"  # (五) 无民事行为能力、被宣告失踪或在监狱服刑，财产符合规定
ART9_OTHER = "art9_6"  # (六) 省级民政部门规定的其他情形
ART9_ITEMS = {
    ART9_DESTITUTE: "（一）",
    ART9_OLD_DIBAO: "（二）",
    ART9_OLD: "（三）",
    ART9_DISABLED: "（四）",
    ART9_LEGAL: "（五）",
    ART9_OTHER: "（六）",
}
ART9 = "《特困人员认定办法》第九条"

# --- expenditure hardship, employment costs, gradual exit ------------------------------------

# Kinds of rigid expenditure (registry ExpenditureKind values), 二(一)4: 因病、因残、因学、因灾、
# 因意外事故.
RIGID_EXPENDITURE_KINDS: tuple[str, ...] = (
    "medical",
    "education",
    "rehabilitation",
    "disaster",
    "accident",
)
# National ceiling of the gradual exit (渐退期), months; a locality may set fewer.
GRADUAL_EXIT_MAX_MONTHS = 6
# The only household category a gradual exit is offered to (its income rose above the standard).
GRADUAL_EXIT_CATEGORIES: tuple[str, ...] = ("dibao",)
# Why: 中共中央办公厅、国务院办公厅《关于改革完善社会救助制度的意见》(2020)：对就业后家庭人均收入
# 超过当地低保标准的低保家庭，可给予一定时间的渐退期 (ADR 0005, 渐退期). The reason text cites it.
GRADUAL_EXIT_CLAUSE = "《关于改革完善社会救助制度的意见》(2020)"


def sql_in(values: Iterable[str | int]) -> str:
    """A SQL IN-list of the values, for the set-based engine's statements."""
    items = [
        str(v) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'" for v in values
    ]
    return "(" + ", ".join(items) + ")" if items else "(NULL)"
