"""A small data folder for the exchange tests (import/export), written into tmp_path."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from powerlist.source.writer import dump_item, dump_yaml

LAWS: dict[str, dict[str, Any]] = {
    "xingzheng-xukefa": {"id": "xingzheng-xukefa", "title": "中华人民共和国行政许可法", "level": "法律",
                         "issuer": "全国人民代表大会常务委员会", "status": "现行有效"},
    "jianzhufa": {"id": "jianzhufa", "title": "中华人民共和国建筑法", "level": "法律",
                  "issuer": "全国人民代表大会常务委员会", "status": "现行有效",
                  "articles": {7: "建筑工程开工前……申请领取施工许可证。", 64: "违反本法规定……可以处以罚款。"}},
    "chaiqian-tiaoli": {"id": "chaiqian-tiaoli", "title": "城市房屋拆迁管理条例", "level": "行政法规",
                        "issuer": "国务院", "status": "已废止"},
    "xingzheng-chufafa": {"id": "xingzheng-chufafa", "title": "中华人民共和国行政处罚法", "level": "法律",
                          "issuer": "全国人民代表大会常务委员会", "status": "现行有效"},
}

DEPARTMENTS: dict[str, dict[str, Any]] = {
    "370700-zjj": {"id": "370700-zjj", "name": "潍坊市住房和城乡建设局", "region": "370700", "region_name": "潍坊市",
                   "level": "市级", "order": 1, "consult": "0536-0000001"},
    "370702-zjj": {"id": "370702-zjj", "name": "潍城区住房和城乡建设局", "region": "370702", "region_name": "潍城区",
                   "level": "县级", "order": 2},
}

ITEMS: list[dict[str, Any]] = [
    {"code": "370700-XK-00001", "name": "建筑工程施工许可证核发", "category": "行政许可", "department": "370700-zjj",
     "status": "保留", "basis": [{"law": "jianzhufa", "article": 7},
                                {"law": "xingzheng-xukefa", "article": 12, "paragraph": 1, "item": 2,
                                 "note": "依法应当取得许可的情形"}],
     "source": "法定本级行使", "office": "行政审批科", "handling": "承诺件",
     "time_limit": {"statutory": "15日", "promised": "3个工作日"},
     "fee": {"charged": True, "items": [{"name": "工本费", "standard": "10元/本"}]},
     "contact": {"consult": "0536-1234567"}, "summary": "申请人：建设单位。\n\n- 材料一\n- 材料二",
     "remarks": "=SUM(A1:A2) 不应被执行"},
    {"code": "370700-XK-00001-001", "name": "建筑工程施工许可证核发（新办）", "category": "行政许可",
     "department": "370700-zjj", "status": "保留", "parent": "370700-XK-00001",
     "basis": [{"law": "jianzhufa", "article": 7}], "fee": {"charged": False}},
    {"code": "370700-CF-00001", "name": "对未取得施工许可证擅自施工的处罚", "category": "行政处罚",
     "department": "370700-zjj", "status": "下放", "basis": [{"law": "jianzhufa", "article": 64}],
     "decision": {"document": "潍政发〔2023〕1号", "date": "2023-06-01", "to": "370702-zjj"}},
    {"code": "370700-QT-00001", "name": "-危险名称+测试", "category": "其他行政权力", "department": "370700-zjj",
     "status": "取消", "decision": {"document": "@国发〔2020〕5号", "date": "2020-05-01"}},
    {"code": "370702-CF-00001", "name": "对未取得施工许可证擅自施工的处罚", "category": "行政处罚",
     "department": "370702-zjj", "status": "保留", "basis": [{"law": "jianzhufa", "article": 64}]},
]


def write_data(root: Path, items: list[dict[str, Any]] | None = None,
               departments: dict[str, dict[str, Any]] | None = None) -> Path:
    """Write laws/, items/<dep>/_department.yaml and the item files; returns root."""
    (root / "laws").mkdir(parents=True, exist_ok=True)
    for law_id, law in LAWS.items():
        (root / "laws" / f"{law_id}.yaml").write_text(dump_yaml(law), encoding="utf-8")
    for dep_id, dep in (departments or DEPARTMENTS).items():
        d = root / "items" / dep_id
        d.mkdir(parents=True, exist_ok=True)
        (d / "_department.yaml").write_text(dump_yaml(dep), encoding="utf-8")
    for it in ITEMS if items is None else items:
        (root / "items" / it["department"] / f"{it['code']}.yaml").write_text(dump_item(it), encoding="utf-8")
    return root


def empty_copy(root: Path) -> Path:
    """The same laws and departments as write_data, no items."""
    return write_data(root, items=[])
