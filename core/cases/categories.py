"""The catalogue of case categories: codes, names, and the departments a case of the category
is routed to when it reaches DEPARTMENT level (the first is the lead). Plugins add categories
through ``register_case_categories``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CaseCategory:
    """A kind of problem. ``departments`` are department codes, lead first."""

    code: str
    name: str
    name_en: str
    departments: tuple[str, ...] = ()


CORE_CATEGORIES: tuple[CaseCategory, ...] = (
    CaseCategory("property_management", "物业管理", "Property management", ("zhujian",)),
    CaseCategory("water_supply", "供水", "Water supply", ("shuiwu",)),
    CaseCategory("heating", "供暖", "Heating", ("gongre", "zhujian")),
    CaseCategory("sanitation", "环境卫生与垃圾", "Sanitation and garbage", ("chengguan",)),
    CaseCategory("road_damage", "道路破损", "Road damage", ("zhujian", "chengguan")),
    CaseCategory(
        "illegal_construction", "违章建筑", "Illegal construction", ("chengguan", "zhujian")
    ),
    CaseCategory("safety_hazard", "安全隐患", "Safety hazard", ("yingji",)),
    CaseCategory("neighbour_dispute", "邻里纠纷", "Neighbour dispute", ()),
)
