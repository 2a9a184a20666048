"""Small hand-made catalogs and index folders for the search tests."""
from __future__ import annotations

from pathlib import Path

from powerlist.model.catalog import Catalog
from powerlist.model.records import Citation, Decision, Department, Item, Law
from powerlist.search.index import SearchIndexFiles, build_search_index

ROOT = Path(__file__).resolve().parent.parent


def _dep(id_: str, name: str, order: int) -> Department:
    return Department(id=id_, name=name, region="370700", region_name="潍坊市", level="市级", order=order)


def small_catalog() -> Catalog:
    deps = [_dep("wfgaj", "潍坊市公安局", 1), _dep("wfzjj", "潍坊市住房和城乡建设局", 2),
            _dep("wfscjgj", "潍坊市市场监督管理局", 3), _dep("wfempty", "潍坊市空白办公室", 4)]
    laws = [Law(id="xingzheng-xukefa", title="中华人民共和国行政许可法", level="法律", issuer="全国人大常委会",
                status="现行有效"),
            Law(id="jianzhufa", title="中华人民共和国建筑法", level="法律", issuer="全国人大常委会", status="现行有效"),
            Law(id="zhianfa", title="中华人民共和国治安管理处罚法", level="法律", issuer="全国人大常委会",
                status="现行有效"),
            Law(id="uncited", title="山东省未引用条例", level="地方性法规", issuer="山东省人大常委会", status="现行有效")]

    def item(code: str, name: str, cat: str, dep: str, law: str, status: str = "保留") -> Item:
        dec = Decision(document="潍政发〔2023〕1号", date="2023-01-01") if status != "保留" else None
        return Item(code=code, name=name, category=cat, department=dep, status=status,
                    basis=(Citation(law=law, article=12),), decision=dec)
    items = [
        item("370700-XK-00001", "建筑工程施工许可证核发", "行政许可", "wfzjj", "jianzhufa"),
        item("370700-XK-00001-001", "建筑工程施工许可证变更", "行政许可", "wfzjj", "jianzhufa"),
        item("370700-XK-00002", "商品房预售许可", "行政许可", "wfzjj", "xingzheng-xukefa"),
        item("370700-CF-00001", "对未取得施工许可证擅自施工的行政处罚", "行政处罚", "wfzjj", "jianzhufa"),
        item("370700-XK-00003", "剧毒化学品购买许可", "行政许可", "wfgaj", "xingzheng-xukefa"),
        item("370700-CF-00002", "对扰乱公共秩序行为的处罚", "行政处罚", "wfgaj", "zhianfa"),
        item("370700-QR-00001", "户口登记", "行政确认", "wfgaj", "xingzheng-xukefa", status="取消"),
        item("370700-JC-00001", "食品生产经营监督检查", "行政检查", "wfscjgj", "xingzheng-xukefa"),
        item("370700-CF-00003", "对生产经营不符合ISO9001要求产品的处罚", "行政处罚", "wfscjgj", "zhianfa"),
        item("370700-XK-00004", "𠀀字号特殊名称许可（测试）", "行政许可", "wfscjgj", "xingzheng-xukefa"),
    ]
    return Catalog(departments={d.id: d for d in deps}, items={i.code: i for i in items},
                   laws={law.id: law for law in laws})


def write_index(files: SearchIndexFiles, out: Path) -> Path:
    """Write the files; returns the ``search/`` folder."""
    for rel, data in files.files.items():
        p = out / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return out / "search"


def build_small(out: Path, **kw: int) -> Path:
    return write_index(build_search_index(small_catalog(), **kw), out)
