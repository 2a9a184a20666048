"""Zip bombs in the parts a table needs. Usage: make.py DIR

- ratio.xlsx: the shared-strings part expands to 100 MiB from ~100 KB (a ratio of ~1000; real sheets: 5-20)
- size.xlsx: the worksheet part expands to 300 MiB (over the part limit, whatever the ratio)
The big parts are streamed into the zip, so making them takes little memory."""
import os
import sys
import zipfile

from openpyxl import Workbook

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SST = b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.' \
      b'spreadsheetml.sharedStrings+xml"/>'

folder = sys.argv[1]
wb = Workbook()
ws = wb.active
ws.append(["事项名称", "权力类别", "实施依据"])
ws.append(["建筑工程竣工验收备案", "行政许可", "《中华人民共和国建筑法》第七条"])
base = os.path.join(folder, "base.xlsx")
wb.save(base)


def bomb(out: str, part: str, size: int, head: bytes, tail: bytes) -> None:
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == part:
                continue
            data = zin.read(info)
            if info.filename == "[Content_Types].xml" and part == "xl/sharedStrings.xml":
                data = data.replace(b"</Types>", SST + b"</Types>")
            zout.writestr(info, data)
        with zout.open(part, "w", force_zip64=True) as f:
            f.write(head)
            chunk = b" " * (1 << 20)
            for _ in range(size >> 20):
                f.write(chunk)
            f.write(tail)


bomb(os.path.join(folder, "ratio.xlsx"), "xl/sharedStrings.xml", 100 << 20, b"<sst " + NS + b">", b"</sst>")
bomb(os.path.join(folder, "size.xlsx"), "xl/worksheets/sheet1.xml", 300 << 20,
     b"<worksheet " + NS + b"><sheetData>", b"</sheetData></worksheet>")
