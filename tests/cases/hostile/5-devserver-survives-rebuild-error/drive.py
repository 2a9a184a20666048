"""Drives the devserver of the case: a good build, a rebuild that fails unexpectedly, a fixed rebuild."""
import os
import re
import sys
import time
import urllib.request
from pathlib import Path

work = Path(os.environ["WORK"])
err = work / "err"
item = Path(os.environ["DATA"]) / "items" / "370700-zjj" / "370700-XK-00001.yaml"


def wait_for(what, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = what()
        if found:
            return found
        time.sleep(0.1)
    sys.exit(f"timed out; devserver said:\n{err.read_text(encoding='utf-8', errors='replace')}")


def page() -> str:
    with urllib.request.urlopen(f"{base}items/370700-XK-00001/", timeout=5) as r:  # noqa: S310 - loopback
        return r.read().decode("utf-8")


def rename(new: str) -> None:
    text = item.read_text(encoding="utf-8")
    item.write_text(re.sub(r"(?m)^name: .*$", f"name: {new}", text), encoding="utf-8")


port = wait_for(lambda: re.findall(r"http://127\.0\.0\.1:(\d+)/", err.read_text(encoding="utf-8")))[0]
base = f"http://127.0.0.1:{port}/"
wait_for(lambda: "建筑工程施工许可证核发" in page())
(work / "boom").touch()
rename("第一次改名")
wait_for(lambda: "the rebuild failed" in err.read_text(encoding="utf-8"))
time.sleep(0.3)
if "第一次改名" in page():
    sys.exit("the failed rebuild was published")
print("served the last good site")
(work / "boom").unlink()
rename("第二次改名")
wait_for(lambda: "第二次改名" in page())
print("rebuilt after the fix")
