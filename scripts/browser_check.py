"""Says up front whether the browser tests will run, so a skip is never silent."""

from __future__ import annotations

import shutil

path = shutil.which("chromium") or shutil.which("chromium-browser")
if path:
    print(f"browser tests: using {path}")
else:
    print(
        "browser tests: SKIPPED — chromium is not installed "
        "(sudo apt-get install -y chromium; .ci/run installs it)"
    )
