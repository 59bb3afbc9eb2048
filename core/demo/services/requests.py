"""What residents ask for in the demo: service applications at the stations, and repair work
orders for the volunteer teams, in every status."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.demo.services.stations import StationPlan
from core.demo.services.town import Town, to_the_minute
from core.demo.services.volunteers import TeamPlan
from core.people.models import Person
from core.stations.models import CatalogueItem, ServiceApplication
from core.volunteers.models import WorkOrder
from core.volunteers.orders import WorkOrderKind, WorkOrderSource, WorkOrderStatus, open_work_order

REJECT_REASONS = (
    "材料不齐：缺少户口簿原件，请补齐后重新申请。",
    "申请人户籍不在本社区，请到户籍所在地社区办理。",
    "经入户核实，家庭人均收入超过本市保障标准。",
    "照片不符合制证要求，请提供近期白底免冠彩色照片。",
)

JOBS = (  # kind, title, what the resident says, what the volunteer wrote when done
    (WorkOrderKind.WATER_REPAIR, "厨房水龙头漏水",
     "水龙头关不严，一直滴水。", "更换水龙头阀芯，试水无渗漏。"),
    (WorkOrderKind.WATER_REPAIR, "卫生间下水道堵塞",
     "下水道反味，排水很慢。", "疏通下水管道，排水恢复正常。"),
    (WorkOrderKind.WATER_REPAIR, "暖气片跑水",
     "卧室暖气片接口渗水，地面有积水。", "更换接口密封垫，打压测试正常。"),
    (WorkOrderKind.ELECTRICITY_REPAIR, "楼道声控灯不亮",
     "二楼到五楼声控灯都不亮，老人晚上上下楼不方便。", "更换声控开关和LED灯泡4个。"),
    (WorkOrderKind.ELECTRICITY_REPAIR, "户内插座跳闸",
     "厨房插座一用电饭锅就跳闸。", "更换老化插座，检查线路绝缘正常。"),
    (WorkOrderKind.HAZARD_CHECK, "楼道堆物消防隐患排查",
     "楼道里堆放纸箱和旧家具，堵塞通道。", "协助住户清理楼道杂物，张贴消防安全提示。"),
    (WorkOrderKind.HAZARD_CHECK, "燃气管道安全检查",
     "独居老人家中有燃气味。", "更换老化燃气软管，讲解安全用气常识。"),
    (WorkOrderKind.HAZARD_CHECK, "老旧电线安全检查",
     "楼内电线老化，担心冬季用电负荷大引发火灾。", "排查入户线路，更换老化线路2处。"),
    (WorkOrderKind.HOUSEHOLD_HELP, "独居老人家电维修",
     "家里电视没有信号，老人不会调。", "重新调试机顶盒，教老人使用遥控器。"),
    (WorkOrderKind.HOUSEHOLD_HELP, "高龄老人更换灯管",
     "卧室顶灯坏了，老人够不着。", "更换吸顶灯灯管，顺带检查了开关。"),
)  # fmt: skip
CANCEL_REASONS = ("居民已自行修好，取消报修。", "物业已安排维修。", "住户外出，改日再约。")
FEEDBACK = (
    "师傅很耐心，修得很好，谢谢志愿者！",
    "来得及时，解决了大问题。",
    "服务热情，收拾得干干净净。",
)


async def create_applications(
    town: Town, stations: list[StationPlan], items: dict[str, CatalogueItem]
) -> int:
    """Five applications per community across its stations, every status in each district;
    欣虹社区's demo resident has one waiting and one done."""
    rng, resident = town.rng, town.logins["resident_xinhong"]
    statuses = ("SUBMITTED", "ACCEPTED", "DONE", "REJECTED")
    rows = []
    for community in town.regions.communities:
        here = [s for s in stations if s.row.community_id == community.id]
        people = [p.id for p in town.residents[community.id]]
        wanted = [
            (s, rng.choice(here), rng.choice(people)) for s in (*statuses, rng.choice(statuses))
        ]
        if community.id == town.pinned.id:
            wanted += [(status, here[0], resident) for status in ("SUBMITTED", "DONE")]
        for status, station, applicant in wanted:
            item = items[rng.choice(station.items)]
            submitted = town.ago(0, 3) if status == "SUBMITTED" else town.ago(5, 40)
            accepted = submitted + timedelta(hours=rng.randint(2, 30))
            finished = to_the_minute(
                accepted + timedelta(days=rng.uniform(0.2, min(item.time_limit_days, 3)))
            )
            doorstep = item.doorstep and rng.random() < 0.5
            rows.append(ServiceApplication(
                **town.place(community), station_id=station.row.id, item_id=item.id,
                applicant_id=applicant, status=status, materials=list(item.materials),
                note="老人行动不便，请工作人员上门办理。" if doorstep else "",
                at_doorstep=doorstep and status != "SUBMITTED",
                reject_reason=rng.choice(REJECT_REASONS) if status == "REJECTED" else None,
                handled_by_id=None if status == "SUBMITTED" else station.staff[0],
                accepted_at=accepted if status in ("ACCEPTED", "DONE") else None,
                finished_at=finished if status in ("DONE", "REJECTED") else None,
                created_at=submitted,
            ))  # fmt: skip
    await ServiceApplication.bulk_create(rows, batch_size=500)
    return len(rows)


async def create_work_orders(town: Town, teams: list[TeamPlan]) -> int:
    """Two resident requests per team (one of each status for 欣虹社区's first team, two of them
    from the demo resident), opened through :func:`open_work_order` and then moved along."""
    rng, resident = town.rng, town.logins["resident_xinhong"]
    cycle = [s.value for s in WorkOrderStatus]
    count = 0
    first = next(t for t in teams if t.row.community_id == town.pinned.id)
    for index, team in enumerate(teams):
        pinned = team is first
        statuses = cycle if pinned else [cycle[(2 * index + k) % len(cycle)] for k in range(2)]
        areas = {c.id for c in team.areas}
        people = town.residents[team.row.community_id]
        nearby = [p for p in people if p.home_compound_id in areas] or people
        for status in statuses:
            requester = rng.choice(nearby)
            if pinned and status in ("REQUESTED", "DONE"):
                requester = next(p for p in people if p.id == resident)
            await _work_order(town, team, status, requester)
            count += 1
    return count


async def _work_order(town: Town, team: TeamPlan, status: str, requester: Person) -> None:
    rng = town.rng
    kind, title, description, note = rng.choice(JOBS)
    compound = next(c for c in town.compounds[team.row.community_id]
                    if c.id == requester.home_compound_id)  # fmt: skip
    flat = (
        f"{rng.randint(1, 18)}号楼{rng.randint(1, 4)}单元{rng.randint(1, 6)}0{rng.randint(1, 2)}室"
    )
    order = await open_work_order(
        community_id=team.row.community_id, kind=kind, title=title,
        source=WorkOrderSource.RESIDENT, description=description, compound_id=compound.id,
        address=f"{compound.name}{flat}",
        requester_id=requester.id,
        team_id=None if status == WorkOrderStatus.REQUESTED else team.row.id,
    )  # fmt: skip
    requested = town.ago(0, 2) if status == WorkOrderStatus.REQUESTED else town.ago(3, 20)
    changes: dict[str, Any] = {"created_at": requested, "status": status}
    if status == WorkOrderStatus.CANCELLED:
        changes["cancel_reason"] = rng.choice(CANCEL_REASONS)
    if status in (WorkOrderStatus.DONE, WorkOrderStatus.CONFIRMED):
        completed = requested + (town.now - requested) * rng.uniform(0.3, 0.6)
        changes |= {"completed_by_id": rng.choice(team.members), "completion_note": note,
                    "completed_at": to_the_minute(completed)}  # fmt: skip
        if status == WorkOrderStatus.CONFIRMED:
            changes |= {"confirmed_at": to_the_minute(completed + (town.now - completed) / 2),
                        "satisfied": True, "feedback": rng.choice(FEEDBACK)}  # fmt: skip
    await WorkOrder.filter(id=order.id).update(**changes)
