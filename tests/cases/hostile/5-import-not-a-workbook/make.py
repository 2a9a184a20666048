"""Files named .xlsx that are not workbooks. Usage: make.py DIR

- encrypted.xlsx: what Excel writes for a password-protected workbook: an OLE compound file holding an
  EncryptionInfo stream (only the parts the importer looks at are imitated)
- old.xlsx: an Excel 97-2003 file renamed (OLE compound file, no EncryptionInfo)
- text.xlsx: a CSV list renamed
- document.xlsx: a zip package without a workbook (a Word file renamed)
"""
import os
import sys
import zipfile

folder = sys.argv[1]
ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
with open(os.path.join(folder, "encrypted.xlsx"), "wb") as f:
    f.write(ole + "EncryptionInfo".encode("utf-16-le") + bytes(512) + "EncryptedPackage".encode("utf-16-le"))
with open(os.path.join(folder, "old.xlsx"), "wb") as f:
    f.write(ole + "Workbook".encode("utf-16-le") + bytes(512))
with open(os.path.join(folder, "text.xlsx"), "w", encoding="utf-8") as f:
    f.write("事项名称,权力类别\n建筑工程竣工验收备案,行政许可\n")
with zipfile.ZipFile(os.path.join(folder, "document.xlsx"), "w") as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
               'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
               'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    z.writestr("word/document.xml", "<document/>")
