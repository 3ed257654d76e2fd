#!/usr/bin/env python3
"""`dia report` in a real headless Chromium (Debian's `chromium`): the page loads with no console
message at all (errors, failed loads: the network is disabled, so any fetch would fail), every
plot is drawn, and a screenshot is written for people to look at.

usage: report_browser_test.py DIA_CLI OUT_DIR
Exit 77 (skipped) when chromium is missing, unless CI=true (then it fails).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

PLOTS = ["allocation", "rent", "net_payment", "best_alternative_bid", "win_probability",
         "winner_reward", "revenue_vs_bidders", "gain"]
CASES = [  # name, dia report arguments
    ("report_uniform", ["--values", "uniform(0,1)", "--bidders", "1..4"]),
    ("report_discrete_n2", ["--values", "discrete(1:0.5,2:0.3,3:0.2)", "--bidders", "1..3",
                            "--show", "2"]),
]


def chromium_binary():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(binary, profile, *args):
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
               "--host-resolver-rules=MAP * ~NOTFOUND", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def check_case(binary, cli, out_dir, name, arguments):
    page = os.path.join(out_dir, name + ".html")
    subprocess.run([cli, "report", *arguments, "--out", page], check=True, timeout=300)
    url = "file://" + os.path.abspath(page)
    failures = []
    with tempfile.TemporaryDirectory() as profile:
        dom = chromium(binary, profile, "--dump-dom", url)
        console = [l for l in dom.stderr.splitlines() if ":CONSOLE" in l]
        if dom.returncode != 0:
            failures.append(f"chromium exited {dom.returncode}: {dom.stderr[-2000:]}")
        if console:
            failures.append("console messages:\n  " + "\n  ".join(console))
        html = dom.stdout
        expected = re.search(r'data-plots-expected="(\d+)"', html)
        drawn = re.search(r'data-plots-drawn="(\d+)"', html)
        if not expected or not drawn or drawn.group(1) != expected.group(1):
            failures.append(f"plots drawn {drawn and drawn.group(1)} of "
                            f"{expected and expected.group(1)}")
        for plot in PLOTS:
            if f'id="plot-{plot}"' not in html:
                failures.append(f"plot {plot} missing")
        if 'id="audit-table"' not in html or 'class="failed"' in html:
            failures.append("audit table missing or an audit failed")
    with tempfile.TemporaryDirectory() as profile:
        shot = os.path.join(out_dir, name + ".png")
        done = chromium(binary, profile, "--window-size=1600,3400", "--hide-scrollbars",
                        f"--screenshot={shot}", url)
        if done.returncode != 0 or not os.path.exists(shot) or os.path.getsize(shot) < 10000:
            failures.append(f"no screenshot {shot}: {done.stderr[-2000:]}")
        else:
            print(f"screenshot: {shot}")
    return failures


def main():
    cli, out_dir = sys.argv[1], sys.argv[2]
    binary = chromium_binary()
    if not binary:
        if os.environ.get("CI") == "true":
            print("chromium is missing (apt-get install chromium); required in CI")
            return 1
        print("chromium is missing: skipped")
        return 77
    os.makedirs(out_dir, exist_ok=True)
    failures = []
    for name, arguments in CASES:
        failures += [f"{name}: {f}" for f in check_case(binary, cli, out_dir, name, arguments)]
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
