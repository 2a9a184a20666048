"""A workbook cut short (a download or copy that stopped half way), and one with a damaged part. Usage: make.py DIR"""
import os
import sys
import zipfile

from openpyxl import Workbook

folder = sys.argv[1]
wb = Workbook()
ws = wb.active
ws.append(["事项名称", "权力类别", "实施依据"])
for i in range(200):
    ws.append([f"事项{i}", "行政许可", "《中华人民共和国建筑法》第七条"])
full = os.path.join(folder, "full.xlsx")
wb.save(full)
data = open(full, "rb").read()
open(os.path.join(folder, "cut.xlsx"), "wb").write(data[:len(data) // 2])
# flip bytes inside the compressed worksheet: the zip directory is intact, the part is not
with zipfile.ZipFile(full) as z:
    info = z.getinfo("xl/worksheets/sheet1.xml")
start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 50
bad = bytearray(data)
bad[start:start + 64] = bytes(64)
open(os.path.join(folder, "broken.xlsx"), "wb").write(bytes(bad))
