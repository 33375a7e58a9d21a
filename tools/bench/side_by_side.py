"""TA Needs beside the peer survey app, measured the same way in the same session.

Usage (from the repository root, after ``make install``; the peer folder set up by its
``setup.sh``)::

    .venv/bin/python -m tools.bench.side_by_side PEER_FOLDER [--rounds 3] [--duration 20]
    DATABASE_URL=postgres://.../scratch .venv/bin/python -m tools.bench.side_by_side PEER_FOLDER

Each round runs the peer's own ``SKIP_PDF=1 ./run.sh`` and then TA Needs under the same
conditions: gunicorn with 2 sync workers on 127.0.0.1, DEBUG off, ``wrk -tN -cN -dD`` with the
peer's ``tools/wrk_stats.lua`` (raw per-request latency), a drain and a 3 s warm-up before each
scenario. TA Needs runs on a scratch database (a new SQLite file, or the scratch PostgreSQL
database in ``DATABASE_URL``, which is migrated and filled: never real data). Prints each
round and the medians, every figure also as a ratio to the same product's floor page of the
same round, and the ratio of TA Needs' largest section to the peer's 120-question page.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
USER, PASSWORD = "bench-focal", "bench-password"  # noqa: S105 - scratch database only
PREPARE = """
import datetime, json
from django.contrib.auth import get_user_model
from django.urls import reverse
from assessments.models import Cycle, Membership, MemberState
from assessments.opening import assessment_open
user, _ = get_user_model().objects.get_or_create(username=%(user)r)
user.set_password(%(password)r)
user.save()
country = MemberState.objects.get(iso3="KEN")
Membership.objects.get_or_create(user=user, country=country, defaults={"role": "focal_point"})
cycle, _ = Cycle.objects.get_or_create(name=%(cycle)r, defaults={
    "starts_on": datetime.date(2030, 1, 1), "ends_on": datetime.date(2030, 12, 31)})
assessment = assessment_open(cycle=cycle, country=country)
first = list(
    assessment.answers.filter(activity__category__numeral="III").order_by("activity__position")[:8]
)
print(json.dumps({
    "section_iii": reverse("assessments:section", args=[assessment.pk, "III"]),
    "section_vii": reverse("assessments:section", args=[assessment.pk, "VII"]),
    "autosave": [reverse("assessments:autosave", args=[assessment.pk, a.pk]) for a in first],
    "versions": [a.version for a in first],
}))
"""
# TA Needs' scenarios: (name, what, how).
SCENARIOS = ("floor", "section_iii", "section_vii", "autosave")
TITLES = {
    "floor": "floor: minimal logged-in page",
    "section_iii": "section III (57 items) GET",
    "section_vii": "section VII GET",
    "autosave": "autosave (a real save each time)",
    "get": "peer: 120-question page GET",
    "post_user": "peer: full POST, edit path",
    "peer_floor": "peer: floor (trivial page)",
}


def scratch_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "side-by-side-only-secret-key-" + "x" * 30,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "ENV_FILE": "/nonexistent",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Client:
    """Keeps cookies; never follows redirects."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Cookie": self.cookie_header(), **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def login(port: int) -> Client:
    client = Client(port)
    _, _, page = client.request("GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    status, _, _ = client.request(
        "POST", "/accounts/login/",
        f"csrfmiddlewaretoken={token}&username={USER}&password={PASSWORD}",
    )
    if status != 302:
        raise SystemExit(f"login answered {status}")
    return client


@contextmanager
def gunicorn(env: dict[str, str], workers: int):
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "tanneeds.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "sync", "--timeout", "120",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        for _ in range(120):
            try:
                Client(port).request("GET", "/healthz")
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("gunicorn stopped before it answered") from None
                time.sleep(0.25)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def drain(port: int) -> None:
    """Wait for 3 fast replies in a row: requests wrk abandoned are still being served."""
    fast = 0
    for _ in range(120):
        started = time.perf_counter()
        Client(port).request("GET", "/healthz")
        fast = fast + 1 if time.perf_counter() - started < 0.05 else 0
        if fast >= 3:
            return
        time.sleep(0.25)


def wrk(peer: Path, port: int, path: str, *, seconds: int, connections: int, cookie: str,
        label: str, extra_env: dict | None = None, script: Path | None = None) -> dict:
    env = {**os.environ, "WRK_LABEL": label, "WRK_METHOD": "GET", "WRK_COOKIE": cookie,
           "WRK_BODY_FILE": "", "WRK_STATS_LUA": str(peer / "tools" / "wrk_stats.lua"),
           **(extra_env or {})}
    done = subprocess.run(
        ["wrk", f"-t{connections}", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s",
         "-s", str(script or peer / "tools" / "wrk_stats.lua"), f"http://127.0.0.1:{port}{path}"],
        env=env, capture_output=True, text=True, check=False,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKSTATS")), None)
    if line is None:
        raise SystemExit(f"wrk gave no figures:\n{done.stdout}\n{done.stderr}")
    return dict(part.split("=", 1) for part in line.split()[1:])


def page_sizes(client: Client, path: str) -> tuple[int, int]:
    """Bytes of HTML, and bytes on the wire when the browser accepts gzip."""
    _, _, raw = client.request("GET", path)
    _, headers, wire = client.request("GET", path, headers={"Accept-Encoding": "gzip"})
    if headers.get("content-encoding") == "gzip":
        assert gzip.decompress(wire).count(b"<fieldset") == raw.count(b"<fieldset")
    return len(raw), len(wire)


def ta_round(peer: Path, env: dict, plan: dict, args) -> dict:
    figures: dict = {}
    with gunicorn(env, args.workers) as port:
        client = login(port)
        for name in ("section_iii", "section_vii"):
            status, _, _ = client.request("GET", plan[name])
            if status != 200:
                raise SystemExit(f"{name} answered {status}")
        figures["sizes"] = {n: page_sizes(client, plan[n]) for n in ("section_iii", "section_vii")}
        cookie = client.cookie_header()
        run = {"seconds": args.duration, "connections": args.connections, "cookie": cookie}
        autosave_env = {"WRK_AUTOSAVE_PATHS": " ".join(plan["autosave"]),
                        "WRK_AUTOSAVE_VERSIONS": " ".join(map(str, plan["versions"])),
                        "WRK_CSRF": client.cookies.get("csrftoken", "")}
        lua = Path(__file__).with_name("autosave.lua")
        drain(port)
        wrk(peer, port, "/accounts/session/", **{**run, "seconds": 3}, label="warm-floor")
        drain(port)
        wrk(peer, port, plan["section_iii"], **{**run, "seconds": 3}, label="warm-page")
        paths = {"floor": "/accounts/session/", "section_iii": plan["section_iii"],
                 "section_vii": plan["section_vii"]}
        for name, path in paths.items():
            drain(port)
            figures[name] = wrk(peer, port, path, **run, label=name)
        drain(port)
        figures["autosave"] = wrk(peer, port, plan["autosave"][0], **run, label="autosave",
                                  extra_env=autosave_env, script=lua)
    warn_statuses("TA Needs", {n: figures[n] for n in SCENARIOS}, "200")
    return figures


def peer_round(peer: Path, args) -> dict:
    env = {**os.environ, "SKIP_PDF": "1", "DURATION": str(args.duration),
           "CONC": str(args.connections), "WORKERS": str(args.workers)}
    subprocess.run(["./run.sh"], cwd=peer, env=env, check=True, capture_output=True)
    latest = (peer / "var" / "latest").resolve()
    figures = {}
    for name in ("floor", "get", "post_user"):
        text = (latest / f"wrk-{name}.txt").read_text()
        line = next(x for x in text.splitlines() if x.startswith("WRKSTATS"))
        figures[name] = dict(part.split("=", 1) for part in line.split()[1:])
    figures["run"] = latest.name
    warn_statuses("peer", figures, "", expected={"floor": "200", "get": "200", "post_user": "302"})
    return figures


def bad_statuses(stats: dict, expected: str) -> list[str]:
    """The status counts (“409:12”) other than ``expected``, and socket errors; wrk's own
    count of non-2xx/3xx replies is used too, in case a status line was not parsed."""
    counts = [part for part in stats.get("statuses", "").split(",") if part]
    bad = [part for part in counts if part.split(":", 1)[0] != expected]
    if not counts:
        bad.append("no status counted")
    errors = sum(int(stats.get(f"err_{kind}", 0)) for kind in ("connect", "read", "write",
                                                                 "timeout"))
    if errors:
        bad.append(f"{errors} socket errors")
    if expected.startswith("2") and int(stats.get("non2xx3xx", 0)) and not bad:
        bad.append(f"{stats['non2xx3xx']} replies not 2xx/3xx")
    return bad


def warn_statuses(
    product: str, figures: dict, default: str, *, expected: dict[str, str] | None = None
) -> list[str]:
    """Print a warning for every scenario of a round with a reply other than the expected one
    (a failed save or a redirect to the sign-in page would otherwise count as fast requests)."""
    problems = []
    for name, stats in figures.items():
        if not isinstance(stats, dict):
            continue
        bad = bad_statuses(stats, (expected or {}).get(name, default))
        if bad:
            problems.append(f"{product} {name}: {', '.join(bad)}")
    for problem in problems:
        print(f"WARNING: unexpected replies: {problem}", flush=True)
    return problems


def report(rounds: list[dict]) -> None:
    def row(title: str, values: list[dict], floors: list[float]) -> str:
        rps = statistics.median(float(v["rps"]) for v in values)
        p50 = statistics.median(float(v["p50_ms"]) for v in values)
        p95 = statistics.median(float(v["p95_ms"]) for v in values)
        ratio = statistics.median(
            float(v["p50_ms"]) / floor for v, floor in zip(values, floors, strict=True)
        )
        return f"{title:<46}{rps:>9.1f}{p50:>9.1f}{p95:>9.1f}{ratio:>11.1f}"

    print(f"\nMedians of {len(rounds)} rounds (peer runs: "
          f"{', '.join(r['peer']['run'] for r in rounds)})")
    print(f"{'scenario':<46}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p50/floor':>11}")
    peer_floors = [float(r["peer"]["floor"]["p50_ms"]) for r in rounds]
    ta_floors = [float(r["ta"]["floor"]["p50_ms"]) for r in rounds]
    for name in ("floor", "get", "post_user"):
        title = TITLES["peer_floor" if name == "floor" else name]
        print(row(title, [r["peer"][name] for r in rounds], peer_floors))
    for name in SCENARIOS:
        print(row("TA Needs: " + TITLES[name], [r["ta"][name] for r in rounds], ta_floors))
    per_round = [float(r["ta"]["section_iii"]["rps"]) / float(r["peer"]["get"]["rps"])
                 for r in rounds]
    print(f"\nsection III req/s / peer page req/s, same round: "
          f"{' '.join(f'{x:.1f}x' for x in per_round)}; median {statistics.median(per_round):.1f}x"
          " (goal >= 20x)")
    autosave = [float(r["ta"]["autosave"]["p50_ms"]) / float(r["ta"]["floor"]["p50_ms"])
                for r in rounds]
    print(f"autosave p50 / floor p50, same round: {' '.join(f'{x:.1f}x' for x in autosave)}; "
          f"median {statistics.median(autosave):.1f}x (goal <= 6x)")
    for name in ("section_iii", "section_vii"):
        raw, wire = rounds[-1]["ta"]["sizes"][name]
        print(f"{TITLES[name]}: {raw / 1000:.0f} kB of HTML, {wire / 1000:.0f} kB gzip on the wire")
    problems = [
        (number, name, bad) for number, r in enumerate(rounds, 1) for name in SCENARIOS
        if (bad := bad_statuses(r["ta"][name], "200"))
    ]
    for number, name, bad in problems:
        print(f"WARNING: round {number}, TA Needs {name}: replies other than 200: {', '.join(bad)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("peer", type=Path, help="the peer-bench folder (after its setup.sh)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write every round's figures here")
    parser.add_argument(
        "--ours-only", action="store_true",
        help="a quick look at TA Needs alone (no peer, so no side-by-side ratio)",
    )
    args = parser.parse_args()
    peer = args.peer.resolve()
    if not (peer / "run.sh").exists() or not (peer / "var" / "seed.sqlite3").exists():
        raise SystemExit(f"{peer} is not a peer-bench folder after ./setup.sh")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (the peer's setup.sh installs it)")
    with tempfile.TemporaryDirectory(prefix="tanneeds-side-") as folder:
        template = Path(folder) / "template.sqlite3"
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{template}"
        print(f"TA Needs on {url.split(':', 1)[0]}; preparing the scratch database...")
        manage(scratch_env(url), "migrate", "--noinput", "-v0")
        manage(scratch_env(url), "load_reference", "-v0")
        rounds = []
        for number in range(1, args.rounds + 1):
            # Every round starts from the same state, like the peer's (a copy of its seed): a
            # new copy of the SQLite file, or on PostgreSQL a new cycle with a new assessment,
            # so autosave never meets the versions an earlier round left.
            if url.startswith("sqlite"):
                copy = Path(folder) / f"round-{number}.sqlite3"
                shutil.copyfile(template, copy)
                env = scratch_env(f"sqlite:///{copy}")
            else:
                env = scratch_env(url)
            prepare = PREPARE % {
                "user": USER, "password": PASSWORD, "cycle": f"Side by side, round {number}",
            }
            plan = json.loads(manage(env, "shell", "--no-imports", "-c", prepare))
            if args.ours_only:
                figures = ta_round(peer, env, plan, args)
                print(json.dumps({k: {m: v[m] for m in ("rps", "p50_ms", "p95_ms", "statuses")}
                                  for k, v in figures.items() if k != "sizes"}, indent=1))
                print(f"sizes (HTML, gzip): {figures['sizes']}")
                continue
            print(f"round {number}: peer...", flush=True)
            peer_figures = peer_round(peer, args)
            print(f"round {number}: TA Needs...", flush=True)
            rounds.append({"peer": peer_figures, "ta": ta_round(peer, env, plan, args)})
            r = rounds[-1]
            print(f"  peer page {float(r['peer']['get']['rps']):.1f} req/s; TA Needs section III "
                  f"{float(r['ta']['section_iii']['rps']):.1f} req/s, autosave p50 "
                  f"{float(r['ta']['autosave']['p50_ms']):.1f} ms, floor p50 "
                  f"{float(r['ta']['floor']['p50_ms']):.1f} ms", flush=True)
        if args.ours_only:
            return
        if args.json:
            args.json.write_text(json.dumps(rounds, indent=1))
        report(rounds)


if __name__ == "__main__":
    main()
