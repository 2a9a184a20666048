"""Workbooks whose worksheet XML holds one huge XML comment. The XML parser openpyxl streams a sheet with
re-scans a token that spans its reads, so a 60 MB comment took minutes. Usage: make.py OUT-small.xlsx OUT-dense.xlsx

- small: 60 MB of 'x' in the comment, a ~70 KB file (a compression ratio no real sheet has)
- dense: 1 MB of hex digits in the comment (compresses only 2:1, so only the token length gives it away)
"""
import os
import sys
import zipfile

from openpyxl import Workbook


def make(out: str, comment: bytes) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["事项名称", "权力类别", "实施依据"])
    ws.append(["建筑工程竣工验收备案", "行政许可", "《中华人民共和国建筑法》第七条"])
    wb.save(out + ".tmp")
    with zipfile.ZipFile(out + ".tmp") as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b"<!--" + comment + b"-->" + data
            zout.writestr(info, data)
    os.remove(out + ".tmp")


make(sys.argv[1], b"x" * 60_000_000)
make(sys.argv[2], os.urandom(500_000).hex().encode())
