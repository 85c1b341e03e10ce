"""What synthetic households are made of: example dibao standards, surnames and given-name
characters with their frequencies, household shapes, and disability and illness rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from safetynet.registry.choices import DisabilityType, Residence

# 示例 dibao standards (yuan per person per month) used to spread synthetic incomes around.
# They are example values of the right size for Henan, NOT the law: the real local standards,
# by region and year, come with the policy engine issue (policy app) as versioned records.
EXAMPLE_DIBAO_STANDARD: dict[str, Decimal] = {
    Residence.URBAN: Decimal("750.00"),  # 示例
    Residence.RURAL: Decimal("560.00"),  # 示例
}

# Ages are computed as of this fixed date, not today, so that a seed gives the same people
# whenever it runs. Registration and category dates use it too.
AS_OF = dt.date(2026, 6, 30)

# Surnames with their rough share of China's population in per cent (Ministry of Public
# Security, 2020 national name report and the 2010s surname surveys). The list covers about
# 85 % of people; the weights are used relative to each other.
SURNAMES: list[tuple[str, float]] = [
    ("王", 7.12), ("李", 7.00), ("张", 6.74), ("刘", 5.10), ("陈", 4.61), ("杨", 3.22),
    ("黄", 2.45), ("赵", 2.19), ("吴", 2.00), ("周", 1.91), ("徐", 1.45), ("孙", 1.38),
    ("马", 1.29), ("朱", 1.28), ("胡", 1.16), ("郭", 1.13), ("何", 1.11), ("林", 1.02),
    ("高", 1.00), ("罗", 0.95), ("郑", 0.92), ("梁", 0.84), ("谢", 0.75), ("宋", 0.68),
    ("唐", 0.65), ("许", 0.62), ("韩", 0.61), ("冯", 0.60), ("邓", 0.60), ("曹", 0.58),
    ("彭", 0.55), ("曾", 0.54), ("肖", 0.52), ("田", 0.51), ("董", 0.50), ("袁", 0.49),
    ("潘", 0.47), ("于", 0.46), ("蒋", 0.46), ("蔡", 0.45), ("余", 0.43), ("杜", 0.42),
    ("叶", 0.41), ("程", 0.40), ("苏", 0.38), ("魏", 0.37), ("吕", 0.36), ("丁", 0.35),
    ("任", 0.34), ("沈", 0.33), ("姚", 0.33), ("卢", 0.32), ("姜", 0.31), ("崔", 0.30),
    ("钟", 0.30), ("谭", 0.29), ("陆", 0.28), ("汪", 0.27), ("范", 0.27), ("金", 0.26),
    ("石", 0.26), ("廖", 0.25), ("贾", 0.25), ("夏", 0.24), ("韦", 0.24), ("付", 0.23),
    ("方", 0.23), ("白", 0.22), ("邹", 0.22), ("孟", 0.22), ("熊", 0.21), ("秦", 0.21),
    ("邱", 0.21), ("江", 0.20), ("尹", 0.20), ("薛", 0.20), ("闫", 0.19), ("段", 0.19),
    ("雷", 0.19), ("侯", 0.18), ("龙", 0.18), ("史", 0.18), ("陶", 0.17), ("黎", 0.17),
    ("贺", 0.17), ("顾", 0.16), ("毛", 0.16), ("郝", 0.16), ("龚", 0.16), ("邵", 0.15),
    ("万", 0.15), ("钱", 0.15), ("严", 0.14), ("武", 0.14), ("戴", 0.14), ("孔", 0.13),
    ("常", 0.13), ("牛", 0.12), ("乔", 0.11), ("申", 0.10), ("靳", 0.08), ("岳", 0.08),
]  # fmt: skip

# Common given-name characters by sex and birth cohort: names follow fashions, so a
# grandmother is 秀英 and her granddaughter 梓涵.
GIVEN_NAME_CHARS: dict[tuple[str, str], str] = {
    (
        "male",
        "1950s",
    ): "德福贵富财长国忠永保金明山林成春生广庆祥发有才海学文玉兴全和顺义宝根荣喜树朝",
    ("female", "1950s"): "秀英兰桂凤珍花梅玉芝香荣淑素翠云琴芳金银娥菊莲爱巧彩霞瑞",
    ("male", "1970s"): "建国军华伟平明强勇红卫东新志刚斌海涛波林峰辉杰民俊利宏军亮春",
    ("female", "1970s"): "丽红霞艳平玲燕静敏娟芳萍华英梅琴玉莉洁秀红丽风",
    ("male", "1990s"): "磊鹏浩杰超鑫宇帅龙博飞阳凯亮辉晨洋健旭斌强伟涛明俊阳冬",
    ("female", "1990s"): "婷静丹敏雪晶倩佳颖琳露莉慧娜洁蕾璐瑶梦欣悦晓",
    ("male", "2010s"): "子轩浩宇梓睿博文泽一诺俊豪铭晨皓天昊奕辰逸航宸然佑",
    ("female", "2010s"): "梓涵欣怡子一诺雨萱思佳可馨语彤若诗紫沐琪悦瑶妍依",
}
# Share of one-character given names by cohort (they peaked among people born 1970–1999).
ONE_CHAR_SHARE: dict[str, float] = {"1950s": 0.15, "1970s": 0.35, "1990s": 0.40, "2010s": 0.10}

# Household shapes and their shares (per cent) in a county register. Weights are relative.
STRUCTURES: list[tuple[str, float]] = [
    ("single_elderly", 12),
    ("single_adult", 6),
    ("elderly_couple", 13),
    ("couple", 7),
    ("couple_children", 29),
    ("three_generations", 18),
    ("single_parent", 6),
    ("couple_with_parent", 4),
    ("skipped_generation", 2),  # grandparents raising left-behind grandchildren
    ("elderly_with_adult_child", 3),  # often an adult child with a disability
]

# Disability: about 6 % of people, rising steeply with age. Types and grades roughly as in the
# Second National Sample Survey on Disability (physical and hearing most common; grade 4 mildest).
# Rates by age band: (upper age bound, exclusive; probability). The disability rates give about
# 6 % overall for a county's age structure; chronic illness is far more common among the old.
DISABILITY_RATE: list[tuple[int, float]] = [
    (18, 0.012),
    (45, 0.035),
    (60, 0.06),
    (75, 0.11),
    (200, 0.2),
]
SERIOUS_ILLNESS_RATE: list[tuple[int, float]] = [(18, 0.004), (45, 0.012), (60, 0.03), (200, 0.045)]
CHRONIC_ILLNESS_RATE: list[tuple[int, float]] = [
    (18, 0.01),
    (45, 0.05),
    (60, 0.18),
    (75, 0.35),
    (200, 0.45),
]
DISABILITY_TYPES: list[tuple[str, float]] = [
    (DisabilityType.PHYSICAL, 29),
    (DisabilityType.HEARING, 24),
    (DisabilityType.MULTIPLE, 16),
    (DisabilityType.VISUAL, 15),
    (DisabilityType.MENTAL, 7),
    (DisabilityType.INTELLECTUAL, 7),
    (DisabilityType.SPEECH, 2),
]
DISABILITY_GRADES: list[tuple[int, float]] = [(1, 14), (2, 18), (3, 30), (4, 38)]
SERIOUS_ILLNESSES = [
    "恶性肿瘤",
    "尿毒症",
    "白血病",
    "脑卒中后遗症",
    "重性精神障碍",
    "耐多药肺结核",
    "慢性心力衰竭",
    "肝硬化失代偿期",
]
CHRONIC_ILLNESSES = [
    "高血压",
    "糖尿病",
    "冠心病",
    "慢性阻塞性肺疾病",
    "类风湿性关节炎",
    "慢性肾炎",
    "脑梗死",
]
