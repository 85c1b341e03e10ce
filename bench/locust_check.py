"""After the locust run: every acknowledged write of ``bench/locustfile.py`` is in the database
(no lost writes). Run with the server's environment:

    .venv/bin/python bench/locust_check.py bench/results/locust_writes.json

Prints `writes=N lost=M` and exits 1 when a household's phone is not its last acknowledged one.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(path: str) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from safetynet.registry.models import Household

    writes = {int(k): v for k, v in json.loads(Path(path).read_text()).items()}
    stored = dict(Household.objects.filter(pk__in=writes).values_list("pk", "phone"))
    lost = [pk for pk, phone in writes.items() if stored.get(pk) != phone]
    for pk in lost:
        print(f"lost: household {pk} has {stored.get(pk)!r}, last acknowledged {writes[pk]!r}")
    print(f"writes={len(writes)} lost={len(lost)}")
    return 1 if lost else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "bench/results/locust_writes.json"))
