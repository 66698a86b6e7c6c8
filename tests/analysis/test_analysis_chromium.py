"""report.html in a real headless browser: every figure loads from the file alone, with a non-zero size."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from codefrontier.analysis.config import ReportConfig
from codefrontier.analysis.report import build_report
from codefrontier.analysis.synthetic import synthetic_frame

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "",
                             shutil.which("chromium-browser") or "") if p and Path(p).is_file()), None)

# Appended to a *copy* of the report: after load, write each image's decoded size into the DOM.
PROBE = """<script>
window.addEventListener('load', function () {
  var out = [];
  document.querySelectorAll('img').forEach(function (im) {
    out.push(im.alt + ' ' + im.naturalWidth + ' ' + im.naturalHeight + ' ' + im.complete);
  });
  var pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = out.join('\\n');
  document.body.appendChild(pre);
});
</script>"""


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`, "
                    "installed by the Makefile when running as root)")
def test_every_figure_renders_in_headless_chromium(tmp_path: Path) -> None:
    frame = synthetic_frame(num_problems=9, n=6, settings=("reasoning", "tool"), seed=5)
    report = build_report(frame, {"toy_scale": True}, tmp_path / "out", ReportConfig(reps=100))
    probe = tmp_path / "probe.html"
    probe.write_text(report.read_text().replace("</body>", PROBE + "</body>"))
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000"]
    done = subprocess.run([str(CHROMIUM), *flags, "--dump-dom", probe.as_uri()], capture_output=True,
                          text=True, timeout=120)
    match = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert match, f"no probe output from chromium (exit {done.returncode}): {done.stderr[-2000:]}"
    rows = [line.split() for line in match.group(1).strip().splitlines()]
    expected = re.findall(r"!\[([^\]]*)\]", (report.parent / "report.md").read_text())
    assert [r[0] for r in rows] == expected and len(rows) >= 8  # every figure present, in order
    for name, width, height, complete in rows:
        assert complete == "true" and int(width) > 100 and int(height) > 100, name
