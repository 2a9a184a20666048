"""A workbook with cell comments whose comments part (xl/comments/comment1.xml) is made huge: 600,000 comments,
70 MB of XML in a small file. The importer never needs comments, so it must not read them. Usage: make.py OUT"""
import os
import sys
import zipfile

from openpyxl import Workbook
from openpyxl.comments import Comment

out = sys.argv[1]
wb = Workbook()
ws = wb.active
ws.append(["事项名称", "权力类别", "实施依据"])
ws.append(["建筑工程竣工验收备案", "行政许可", "《中华人民共和国建筑法》第七条"])
ws["A2"].comment = Comment("说明", "编制人")
wb.save(out + ".tmp")
one = b'<comment ref="A2" authorId="0"><text><t>' + b"x" * 80 + b"</t></text></comment>"
with zipfile.ZipFile(out + ".tmp") as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
    found = False
    for info in zin.infolist():
        data = zin.read(info)
        if info.filename.startswith("xl/comments"):
            found = True
            at = data.index(b"</commentList>")
            data = data[:at] + one * 600_000 + data[at:]
        zout.writestr(info, data)
    assert found
os.remove(out + ".tmp")
