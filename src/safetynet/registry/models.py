from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetynet.registry import keyring
from safetynet.registry.choices import (
    AssetKind,
    Category,
    DisabilityType,
    ExpenditureKind,
    HealthStatus,
    IncomeKind,
    LabourCapacity,
    LegalStatus,
    RelapseWatchType,
    Residence,
    SchoolStage,
    Sex,
)
from safetynet.registry.relations import RELATIONS

# PostgreSQL operator class of the equality-and-prefix indexes (ignored by other databases).
PATTERN = "varchar_pattern_ops"


class Person(models.Model):
    """A natural person, keyed by the blind index of the citizen ID number."""

    # Denormalised from the current household so that the scope filter is one indexed column.
    SCOPE_FIELD = "region_id"

    # Indexed through person_region_idx (region, id), which serves the scope filter's range.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属村(居)"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    id_number_encrypted = models.TextField(_("身份证号(密文)"))
    id_number_hash = models.CharField(_("身份证号索引"), max_length=64)
    id_number_masked = models.CharField(_("身份证号"), max_length=18)
    # Keyed hashes of the last 4, 5 and 6 characters (search by a tail, identity.tail_index).
    id_tail4_hash = models.CharField(max_length=32, blank=True)
    id_tail5_hash = models.CharField(max_length=32, blank=True)
    id_tail6_hash = models.CharField(max_length=32, blank=True)
    # The blind-index key the hashes above were made with (the ciphertext names its own key).
    id_index_kid = models.CharField(max_length=8, blank=True, default=keyring.index_kid_or_blank)
    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200)
    name_initials = models.CharField(_("姓名首字母"), max_length=50)
    sex = models.CharField(_("性别"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    disability_type = models.CharField(
        _("残疾类别"), max_length=16, choices=DisabilityType.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("残疾等级"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    health_status = models.CharField(
        _("健康状况"), max_length=10, choices=HealthStatus.choices, default=HealthStatus.HEALTHY
    )
    illness_name = models.CharField(_("所患疾病"), max_length=100, blank=True)
    labour_capacity = models.CharField(
        _("劳动能力"), max_length=10, choices=LabourCapacity.choices, default=LabourCapacity.FULL
    )
    school_stage = models.CharField(
        _("在学情况"), max_length=20, choices=SchoolStage.choices, default=SchoolStage.NONE
    )
    # 《特困人员认定办法》 art. 9(5)–(6): when this person is someone's legal supporter.
    legal_status = models.CharField(
        _("民事行为能力等情况"), max_length=12, choices=LegalStatus.choices, blank=True
    )
    other_inability = models.CharField(
        _("省级规定的其他无履行义务能力情形"), max_length=100, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["id"]
        # One index per lookup (ADR 0016 §10): hashes and names are looked up by equality or
        # by prefix (LIKE 'x%'), which a varchar_pattern_ops index serves alone on PostgreSQL
        # (byte comparisons, also cheaper to build than collation-aware ones); elsewhere the
        # operator class is ignored and the index is a plain one.
        indexes = [
            models.Index(fields=["region", "id"], name="person_region_idx"),
            *(
                models.Index(fields=[field], name=f"person_{field}_idx", opclasses=[PATTERN])
                for field in (
                    "id_tail4_hash",
                    "id_tail5_hash",
                    "id_tail6_hash",
                    "name",
                    "name_pinyin",
                    "name_initials",
                )
            ),
        ]
        constraints = [
            # A unique constraint rather than unique=True: the field's own would add a second,
            # pattern_ops index beside the unique one, and the hash is only compared whole.
            models.UniqueConstraint(
                fields=["id_number_hash"], name="person_id_number_hash_key", opclasses=[PATTERN]
            ),
            models.CheckConstraint(
                condition=Q(disability_grade__isnull=True)
                | Q(disability_grade__gte=1, disability_grade__lte=4),
                name="person_disability_grade_1_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    @property
    def serious_illness(self) -> bool:
        return self.health_status == HealthStatus.SERIOUS


class Household(models.Model):
    SCOPE_FIELD = "region_id"

    # Indexed through household_region_idx (region, id).
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属村(居)"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    residence = models.CharField(_("城乡类别"), max_length=5, choices=Residence.choices)
    address = models.CharField(_("家庭住址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    head = models.ForeignKey(
        Person,
        verbose_name=_("户主"),
        null=True,
        on_delete=models.PROTECT,
        related_name="headed_households",
    )
    # Current household-level category and watch flag, denormalised from the status history
    # for list filters; only the status services write them.
    category = models.CharField(_("救助类别"), max_length=24, choices=Category.choices, blank=True)
    relapse_watch = models.CharField(
        _("防返贫监测"), max_length=16, choices=RelapseWatchType.choices, blank=True
    )
    member_count = models.PositiveSmallIntegerField(_("家庭人口"), default=0)
    # 二(一)4 收入大幅缩减: the household's monthly counted income before the drop, and the day
    # it was recorded (the drop counts when recorded within the 12 months before classifying).
    income_before_drop_monthly = models.DecimalField(
        _("收入缩减前家庭月收入"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    income_before_drop_on = models.DateField(_("收入缩减前收入记录日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("家庭")
        verbose_name_plural = _("家庭")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["region", "id"], name="household_region_idx"),
            models.Index(fields=["category", "region"], name="household_category_idx"),
            models.Index(fields=["relapse_watch", "region"], name="household_watch_idx"),
        ]

    def __str__(self) -> str:
        head = self.head.name if self.head_id and self.head else "—"
        return f"{head}户（{self.pk}）"


class Membership(models.Model):
    # Indexed through membership_household_idx (household, left_on).
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relation = models.CharField(_("与户主关系"), max_length=2, choices=RELATIONS)
    co_resident = models.BooleanField(_("共同生活"), default=True)
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("离开日期"), null=True, blank=True)
    left_reason = models.CharField(_("离开原因"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["household", "relation", "id"]
        indexes = [models.Index(fields=["household", "left_on"], name="membership_household_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_household",
                violation_error_message=_("此人已是另一户的家庭成员"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.household_id}"


class LegalSupporter(models.Model):
    """A person outside the household with a legal duty of support (赡养、抚养、扶养)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="supporters")
    supported_person = models.ForeignKey(
        Person,
        verbose_name=_("被赡(抚、扶)养人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_number_encrypted = models.TextField(blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True)
    relation = models.CharField(_("与被赡(抚、扶)养人关系"), max_length=2, choices=RELATIONS)
    able_to_support = models.BooleanField(_("具备赡(抚、扶)养能力"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("法定赡(抚、扶)养人")
        verbose_name_plural = _("法定赡(抚、扶)养人")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id_number_hash"], name="supporter_id_number_hash_idx", opclasses=[PATTERN]
            )
        ]

    def __str__(self) -> str:
        return self.name


class Income(models.Model):
    """A member's declared monthly income of one kind."""

    # Indexed through income_household_idx.
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="incomes", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="incomes")
    kind = models.CharField(_("收入类型"), max_length=10, choices=IncomeKind.choices)
    monthly_amount = models.DecimalField(
        _("月收入(元)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("收入")
        verbose_name_plural = _("收入")
        ordering = ["id"]
        indexes = [models.Index(fields=["household"], name="income_household_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.monthly_amount}"


class Asset(models.Model):
    # Indexed through asset_household_idx.
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="assets", db_index=False
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("财产类型"), max_length=12, choices=AssetKind.choices)
    value = models.DecimalField(
        _("价值/金额(元)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    for_disability = models.BooleanField(_("残疾人功能性补偿代步车"), default=False)
    area_m2 = models.DecimalField(
        _("面积(平方米)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("财产")
        verbose_name_plural = _("财产")
        ordering = ["id"]
        indexes = [models.Index(fields=["household"], name="asset_household_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.value}"


class RigidExpenditure(models.Model):
    # Indexed through expenditure_household_idx (household, incurred_on).
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="expenditures", db_index=False
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("支出类型"), max_length=16, choices=ExpenditureKind.choices)
    amount = models.DecimalField(
        _("金额(元)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    incurred_on = models.DateField(_("发生日期"))
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("刚性支出")
        verbose_name_plural = _("刚性支出")
        ordering = ["-incurred_on", "id"]
        indexes = [
            models.Index(fields=["household", "incurred_on"], name="expenditure_household_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class DatedStatus(models.Model):
    """A fact that holds from ``effective_from`` until ``effective_to`` (open if null).

    A new status closes the open one; rows are never edited otherwise nor deleted.
    """

    # Indexed through each status's (household, effective_to) index.
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("终止日期"), null=True, blank=True)
    reason = models.CharField(_("依据/原因"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    @property
    def pending(self) -> bool:
        """Recorded ahead of its date (a decision takes effect the month after it)."""
        return self.effective_from > timezone.localdate()


class CategoryStatus(DatedStatus):
    """The household's (or, for destitute and individual dibao, a member's) category."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="category_statuses"
    )
    # Blank means "no category" from this date: how an ended category is recorded.
    category = models.CharField(_("救助类别"), max_length=24, choices=Category.choices, blank=True)

    class Meta:
        verbose_name = _("救助类别记录")
        verbose_name_plural = _("救助类别记录")
        ordering = ["household", "-effective_from", "-id"]
        indexes = [
            models.Index(fields=["household", "effective_to"], name="category_household_idx"),
            # The daily run that applies statuses whose date has come: which start in a range,
            # and a household's status in force on a day (an index scan, LIMIT 1).
            models.Index(fields=["effective_from"], name="category_from_idx"),
            models.Index(
                fields=["household", "-effective_from", "-id"],
                condition=Q(person__isnull=True),
                name="category_in_force_idx",
            ),
            # Lists filtered by a member's own category (destitute, individual dibao).
            models.Index(
                fields=["category", "household"],
                condition=Q(person__isnull=False),
                name="category_member_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or '-'} {self.effective_from}"


class RelapseWatchStatus(DatedStatus):
    watch_type = models.CharField(
        _("监测类型"), max_length=16, choices=RelapseWatchType.choices, blank=True
    )

    class Meta:
        verbose_name = _("防返贫监测记录")
        verbose_name_plural = _("防返贫监测记录")
        ordering = ["household", "-effective_from", "-id"]
        indexes = [
            models.Index(fields=["household", "effective_to"], name="watch_household_idx"),
            models.Index(fields=["effective_from"], name="watch_from_idx"),
            models.Index(fields=["household", "-effective_from", "-id"], name="watch_in_force_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.watch_type or '-'} {self.effective_from}"


class IdConflict(models.Model):
    """An attempt to register a person who is already in a current household outside the actor's
    scope. The actor is told only the generic ``validation.NOT_REGISTRABLE`` (no existence
    oracle); the county of the village they registered into sees the details here and settles
    the case with the county of the existing household."""

    SCOPE_FIELD = "region_id"

    # The county (not the village): township accounts, whose scope lies below it, do not see it.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("处理县"), on_delete=models.PROTECT, related_name="+"
    )
    village_code = models.CharField(_("拟登记村(居)"), max_length=12)
    person = models.ForeignKey(
        Person, verbose_name=_("已登记人员"), on_delete=models.PROTECT, related_name="+"
    )
    id_number_masked = models.CharField(_("身份证号（脱敏）"), max_length=18)
    attempted_name = models.CharField(_("拟登记姓名"), max_length=50, blank=True)
    existing_household = models.ForeignKey(
        Household, verbose_name=_("现所在家庭"), on_delete=models.PROTECT, related_name="+"
    )
    existing_region_code = models.CharField(_("现所在村(居)"), max_length=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.CharField(_("处理说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("身份证号登记冲突")
        verbose_name_plural = _("身份证号登记冲突")
        ordering = ["-id"]
        indexes = [models.Index(fields=["region", "resolved_at"], name="idconflict_queue_idx")]

    def __str__(self) -> str:
        return f"{self.id_number_masked}@{self.region_id}"


class KeyRotation(models.Model):
    """One run of ``safetynet keys rotate`` (ADR 0017): re-encrypts every ID number under the
    newest encryption key and re-hashes it under the current blind-index key, step by step in
    batches; ``step`` and ``cursor`` (the last primary key done) make it resumable."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    algorithms = models.CharField(max_length=10)
    encryption_kid = models.CharField(max_length=8)
    index_kid = models.CharField(max_length=8)
    step = models.CharField(max_length=20, default="persons")
    cursor = models.BigIntegerField(default=0)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.index_kid}/{self.encryption_kid} {self.step}"


class KeyRotationMap(models.Model):
    """A blind index before and after a rotation, for data keyed by it outside the person table
    (alerts, department batches); removed when the rotation finishes."""

    rotation = models.ForeignKey(KeyRotation, on_delete=models.CASCADE, related_name="+")
    old_hash = models.CharField(max_length=64)
    new_hash = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["rotation", "old_hash"], name="keymap_old_idx")]

    def __str__(self) -> str:
        return self.old_hash
