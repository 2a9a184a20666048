"""A one-row workbook to import. Usage: make.py OUT.xlsx"""
import sys

from openpyxl import Workbook

wb = Workbook()
ws = wb.active
ws.append(["审批项目", "权力类别", "实施依据"])
ws.append(["建筑工程竣工验收备案", "行政许可", "《中华人民共和国建筑法》第七条"])
wb.save(sys.argv[1])
