"""Tunable rules of 信息报送, each read when asked through ``office.conf.office_setting``."""

from dataclasses import dataclass

from office.conf import office_setting

from .models import AdoptionKind, InfoType

# Per type, the four stages' limits (submit, edit, approve, send): "2h" hours, "1d" working days.
DEFAULT_LIMITS = {
    InfoType.URGENT: "2h,2h,1h,1h",
    InfoType.DYNAMIC: "1d,1d,1d,1d",
    InfoType.EXPERIENCE: "3d,1d,1d,1d",
    InfoType.PROBLEM: "3d,1d,1d,1d",
}


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str  # "h" hours or "d" working days

    def __str__(self) -> str:
        return f"{self.amount} 小时" if self.unit == "h" else f"{self.amount} 个工作日"


def _parse(raw: str) -> Limit:
    raw = raw.strip().lower()
    unit = raw[-1]
    if unit not in ("h", "d") or not raw[:-1].isdigit():
        raise ValueError(f"a stage limit is like '2h' or '1d', not {raw!r}")
    return Limit(int(raw[:-1]), unit)


def stage_limits(info_type: str) -> list[Limit]:
    """INFORMATION_LIMITS_URGENT / _DYNAMIC / _EXPERIENCE / _PROBLEM: four limits, comma-separated."""
    raw = {
        InfoType.URGENT: lambda: office_setting("INFORMATION_LIMITS_URGENT", DEFAULT_LIMITS[InfoType.URGENT]),
        InfoType.DYNAMIC: lambda: office_setting(
            "INFORMATION_LIMITS_DYNAMIC", DEFAULT_LIMITS[InfoType.DYNAMIC]
        ),
        InfoType.EXPERIENCE: lambda: office_setting(
            "INFORMATION_LIMITS_EXPERIENCE", DEFAULT_LIMITS[InfoType.EXPERIENCE]
        ),
        InfoType.PROBLEM: lambda: office_setting(
            "INFORMATION_LIMITS_PROBLEM", DEFAULT_LIMITS[InfoType.PROBLEM]
        ),
    }[InfoType(info_type)]()
    parts = [p for p in str(raw).split(",") if p.strip()]
    if len(parts) != 4:
        raise ValueError(f"INFORMATION_LIMITS_{info_type.upper()} needs four limits")
    return [_parse(p) for p in parts]


def points(kind: str) -> int:
    """INFORMATION_POINTS_MUNICIPAL / _PROVINCIAL / _STATE_COUNCIL / _CENTRAL / _INSTRUCTION."""
    read = {
        AdoptionKind.MUNICIPAL: lambda: office_setting("INFORMATION_POINTS_MUNICIPAL", 10),
        AdoptionKind.PROVINCIAL: lambda: office_setting("INFORMATION_POINTS_PROVINCIAL", 20),
        AdoptionKind.STATE_COUNCIL: lambda: office_setting("INFORMATION_POINTS_STATE_COUNCIL", 30),
        AdoptionKind.CENTRAL: lambda: office_setting("INFORMATION_POINTS_CENTRAL", 50),
        AdoptionKind.INSTRUCTION: lambda: office_setting("INFORMATION_POINTS_INSTRUCTION", 30),
    }
    return int(read[AdoptionKind(kind)]())


def section_unit_codes() -> list[str]:
    """The sections whose staff receive, edit and send reports (信息科 by default)."""
    value = office_setting("INFORMATION_SECTION_UNITS", ["xinxi"])
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


def urgent_link_days() -> int:
    """How far back the unit's urgent reports are offered for linking."""
    return int(office_setting("INFORMATION_URGENT_LINK_DAYS", 7))


def facts_max_age_days() -> int:
    """How old the facts of a report may be: information is news, and a date decades back is a typo."""
    return int(office_setting("INFORMATION_FACTS_MAX_AGE_DAYS", 365))
