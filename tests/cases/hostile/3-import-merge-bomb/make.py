"""A small workbook whose one merged range reaches Excel's last cell (D2:XFD1048576): 17 billion cells if
materialised one by one. Usage: make.py OUT.xlsx"""
import sys
import zipfile

from openpyxl import Workbook

out = sys.argv[1]
wb = Workbook()
ws = wb.active
ws.title = "清单"
ws.append(["事项名称", "权力类别", "实施依据", "备注"])
ws.append(["建筑工程竣工验收备案", "行政许可", "《中华人民共和国建筑法》第七条", "见附件"])
wb.save(out + ".tmp")
with zipfile.ZipFile(out + ".tmp") as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info)
        if info.filename == "xl/worksheets/sheet1.xml":
            assert b"</sheetData>" in data
            data = data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">'
                                b'<mergeCell ref="D2:XFD1048576"/></mergeCells>')
        zout.writestr(info, data)
