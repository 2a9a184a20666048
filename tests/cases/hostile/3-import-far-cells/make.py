"""Workbooks with one stray value far from the list: in column XFD (Excel's last), and in row 1,048,576 (with a
<dimension> claiming the whole grid). Usage: make.py DIR"""
import os
import sys

from openpyxl import Workbook

folder = sys.argv[1]
for name, cell in (("far-column.xlsx", "XFD3"), ("far-row.xlsx", "A1048576")):
    wb = Workbook()
    ws = wb.active
    ws.append(["事项名称", "权力类别", "实施依据"])
    ws.append(["建筑工程竣工验收备案", "行政许可", "《中华人民共和国建筑法》第七条"])
    ws[cell] = "x"
    wb.save(os.path.join(folder, name))
