"""The user database survives SIGKILL mid-write: integrity holds and every reported commit is there."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

KILLS = int(os.environ.get("SPINE_ATLAS_KILLS", "200"))
ROOT = Path(__file__).resolve().parent.parent

WRITER = r"""
import sys
sys.path.insert(0, sys.argv[2])
from atlas.db.userdata import UserStore
store = UserStore(sys.argv[1])
start = max([int(n.slug[1:]) for n in store.notes()] or [0]) + 1
print("ready", flush=True)
for i in range(start, start + 100000):
    store.set_note(f"n{i}", "x" * (i % 700) + str(i), i % 5)
    store.save_review(f"item{i % 50}", {"n": i}, "2026-11-21T00:00:00+00:00", "good", f"2026-11-21T00:{i % 60:02d}:00", {"i": i})
    if i % 7 == 0:
        store.add_bookmark(f"n{i}", 0)
    print(i, flush=True)
"""


@pytest.mark.slow
def test_user_database_survives_being_killed(tmp_path):
    path = tmp_path / "user.db"
    rng = random.Random(20261121)
    committed = 0
    kills = 0
    while kills < KILLS:
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(ROOT)], stdout=subprocess.PIPE, text=True, bufsize=1
        )
        assert proc.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + rng.uniform(0.0, 0.03)
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line.strip().isdigit():
                committed = max(committed, int(line))
        proc.send_signal(signal.SIGKILL)
        for line in proc.stdout:  # lines the writer printed before it died were committed
            if line.strip().isdigit():
                committed = max(committed, int(line))
        proc.wait()
        kills += 1
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {r[0] for r in conn.execute("SELECT slug FROM notes")}
        missing = [i for i in range(1, committed + 1) if f"n{i}" not in present]
        assert not missing, f"after kill {kills}: commits {missing[:5]} reported but lost"
        conn.close()
    assert committed > KILLS, "the writer should have committed work between kills"
