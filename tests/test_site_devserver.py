"""``powerlist devserver``: serves the build on 127.0.0.1 and rebuilds when a data file changes."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from site_fixtures import make_data

PROJECT = Path(__file__).resolve().parents[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback only
        return r.read().decode("utf-8")


def test_devserver_serves_and_rebuilds(tmp_path):
    data = make_data(tmp_path / "data", hostile=False, in_git=False)
    conf = tmp_path / "conf.py"
    conf.write_text(f"exec(open({str(PROJECT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
                    f"PATH = {str(PROJECT / 'content')!r}\nTHEME = {str(PROJECT / 'theme')!r}\n"
                    "POWERLIST_CONTRIBUTORS = ()\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "powerlist.cli", "devserver", str(data), "-o",
                             str(tmp_path / "out"), "--port", "0", "--interval", "0.2", "--settings", str(conf)],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONPATH": str(PROJECT)})
    try:
        port = None
        deadline = time.monotonic() + 60
        assert proc.stderr is not None
        while port is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
        assert port, "devserver did not report its address"
        base = f"http://127.0.0.1:{port}/"
        assert "建筑工程施工许可证核发" in _get(base + "items/370700-XK-00001/")
        item = data / "items" / "370700-zjj" / "370700-XK-00001.yaml"
        item.write_text(item.read_text(encoding="utf-8").replace("name: 建筑工程施工许可证核发",
                                                                 "name: 建筑工程施工许可证核发（改）"), encoding="utf-8")
        while time.monotonic() < deadline:
            if "建筑工程施工许可证核发（改）" in _get(base + "items/370700-XK-00001/"):
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the page was not rebuilt after the change")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
