"""Who sits where: the division tree, organisational units and users.

The tree is keyed by the 12-digit statistical division code (统计用区划代码). The code of a region
starts with the code prefix of every region above it (province 2 digits, city 4, county 6, town 9,
village 12), so "this region and everything below" is a prefix match on an indexed column and no
query ever walks the tree.
"""

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("province")
    CITY = 2, _("city")
    COUNTY = 3, _("county")
    TOWN = 4, _("town")
    VILLAGE = 5, _("village")


# Number of leading code digits that identify a region of each level.
PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWN: 9,
    RegionLevel.VILLAGE: 12,
}
LEVEL_NAMES = {
    "province": RegionLevel.PROVINCE,
    "city": RegionLevel.CITY,
    "county": RegionLevel.COUNTY,
    "town": RegionLevel.TOWN,
    "village": RegionLevel.VILLAGE,
}


_COMMITTEES = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
)


def place_name(name: str) -> str:
    """The place, not its committee: the division list names a village or neighbourhood by its
    committee (先进村委会, 江东社区居委会); a case happens in 先进村, 江东社区."""
    for suffix, place in _COMMITTEES:
        if name.endswith(suffix):
            return name[: -len(suffix)] + place
    return name


class Region(models.Model):
    code = models.CharField(_("division code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        # LIKE 'prefix%' uses a btree index only with a pattern operator class (or a C collation);
        # Django's PostgreSQL backend adds a varchar_pattern_ops "_like" index to every indexed
        # varchar column, the primary key here and Case.region_id (tests/accounts check it).
        indexes = [
            models.Index(fields=["parent", "name"], name="region_parent_name"),
        ]

    def __str__(self):
        # Pickers and labels name the place (先进村); the division list's name stays in ``name``.
        return self.place_name

    @property
    def place_name(self) -> str:
        return place_name(self.name)

    @property
    def prefix(self) -> str:
        """The code digits shared by this region and every region below it."""
        return self.code[: PREFIX_LENGTH[self.level]]

    def contains(self, other: "Region") -> bool:
        return other.code.startswith(self.prefix) and other.level >= self.level

    def codes_up(self) -> list[str]:
        """This region's code and the codes of the regions above it, nearest first: a region's code
        is the prefix of its level padded with zeros, and starts with every prefix above it."""
        levels = sorted((level for level in PREFIX_LENGTH if level <= self.level), reverse=True)
        return list(dict.fromkeys(self.code[: PREFIX_LENGTH[level]].ljust(12, "0") for level in levels))

    def county_code(self) -> str | None:
        """The 6-digit code of the county this region lies in (None above county level)."""
        if self.level < RegionLevel.COUNTY:
            return None
        return self.code[:6]


class UnitKind(models.TextChoices):
    GOVERNANCE_CENTRE = "governance_centre", _("social governance centre")
    PETITION_OFFICE = "petition_office", _("petition bureau / office")
    MEDIATION_COMMITTEE = "mediation_committee", _("people's mediation committee")
    TOWNSHIP_GOVERNMENT = "township_government", _("township government")
    DEPARTMENT = "department", _("functional department")


# Units that answer for everything in their region. A functional department (县人社局) sits in the
# county but only sees what is assigned to it: giving it the whole county would show it, among
# others, accusations about itself (信访工作条例 §30).
UNIT_KINDS_COVERING_REGION = {
    UnitKind.GOVERNANCE_CENTRE,
    UnitKind.PETITION_OFFICE,
    UnitKind.MEDIATION_COMMITTEE,
    UnitKind.TOWNSHIP_GOVERNMENT,
}


class Unit(models.Model):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="units"
    )
    covers_region = models.BooleanField(
        _("sees its whole region"),
        default=True,
        help_text=_(
            "On: the unit sees every case in its region and below. Off (functional departments): "
            "only cases assigned to it or handled by its staff."
        ),
    )
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="unit"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.group_id is None:
            # Object permissions for cross-unit assignment (交办) are granted to this group.
            self.group = Group.objects.create(name=f"unit:{self.region_id}:{self.name}"[:150])
        super().save(*args, **kwargs)


class User(AbstractUser):
    display_name = models.CharField(_("name"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    def get_full_name(self):
        return self.display_name or super().get_full_name() or self.username


class GridLevel(models.IntegerChoices):
    """网格: the village or community itself is the 一级网格; 二级网格 and 微网格 lie below it."""

    FIRST = 1, _("first-level grid")
    SECOND = 2, _("second-level grid")
    MICRO = 3, _("micro-grid")


class Grid(models.Model):
    """A grid of a village or community (网格化管理).

    ``code`` places a grid in its village's grid tree the way a region's code places it in the
    division tree: the 一级网格 has the empty code, a 二级网格 a code of its own ("01"), a 微网格 its
    parent's code and its own ("01-02"). "This grid and below" is a prefix match inside one region.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="grids"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("grid level"), choices=GridLevel.choices)
    code = models.CharField(_("grid code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["region_id", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="grid_unique_code")]

    def __str__(self):
        return self.name

    def subtree_q(self, prefix: str = "") -> models.Q:
        """This grid and every grid below it, as a filter on a grid queryset (``prefix`` for a
        relation: ``grid__``)."""
        q = models.Q(**{f"{prefix}region_id": self.region_id})
        if self.code:
            below = models.Q(**{f"{prefix}code__startswith": f"{self.code}-"})
            q &= models.Q(**{f"{prefix}code": self.code}) | below
        return q


class GridPostKind(models.TextChoices):
    LEADER = "leader", _("grid leader")
    FULL_TIME = "full_time", _("full-time grid worker")
    PART_TIME = "part_time", _("part-time grid worker")


class GridPost(models.Model):
    """Who held which grid when: a post ends (``ended_on``) and stays as the grid's history."""

    grid = models.ForeignKey(Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="posts")
    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.PROTECT, related_name="grid_posts"
    )
    post = models.CharField(_("post"), max_length=16, choices=GridPostKind.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("grid post")
        verbose_name_plural = _("grid posts")
        ordering = ["grid_id", "ended_on", "-started_on", "pk"]
        indexes = [
            models.Index(fields=["user"], name="grid_post_current", condition=models.Q(ended_on=None)),
        ]

    def __str__(self):
        return f"{self.grid} {self.get_post_display()} {self.user}"

    @classmethod
    def below_village(cls):
        """Current posts on active grids below the 一级网格: only their holders can be narrowed by
        rule 5 of the scoping rule (accounts.scoping.grid_scope)."""
        return cls.objects.filter(ended_on=None, grid__is_active=True, grid__level__gt=GridLevel.FIRST)
