#!/usr/bin/env python3
"""`dia report` in a real headless Chromium (Debian's `chromium`): the page loads with no console
message at all (errors, failed loads: the network is disabled, so any fetch would fail), every
plot draws a curve and nothing outside its axes (the page's own check, from the browser's
layout: every curve's and marker's box inside the plot area), every SVG has a title, the page
carries the version and the command line, two plots share a row at 1400 px with side margins,
and the Border-lottery case is captioned by its rule; the same for the asymmetric page
(`dia report --bidder ...`, its four per-class plots, class and revenue tables). A page with a plot broken on purpose (a
point outside the axes, a plot with no curve) must be caught. Screenshots (PNG) are written for
people to look at.

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
         "winner_reward", "revenue_vs_bidders", "gain", "allocation_by_bidders"]
WIDTH = 1400  # the window the layout is checked at: two columns, side margins
MARGIN = 12   # px, at least, left and right of the plots
# The asymmetric page (dia report --bidder ...): its plots per bidder class.
ASYMMETRIC_PLOTS = ["allocation", "rent", "winner_reward", "net_payment"]
CASES = [  # name, dia report arguments, the plots the page must draw
    ("report_uniform", ["--values", "uniform(0,1)", "--bidders", "1..4"], PLOTS),
    ("report_discrete_n2", ["--values", "discrete(1:0.5,2:0.3,3:0.2)", "--bidders", "1..3",
                            "--show", "2"], PLOTS),
    # n = 2 runs a Border lottery (q = X/G up to about 83): plotted as X vs G, captioned so.
    ("report_border_lottery", ["--values", "uniform(1,2)", "--bidders", "1..4", "--show", "2"],
     PLOTS),
    # Two identical bidders beside a stronger one: the class table and the per-class plots.
    ("report_asymmetric", ["--bidder", "2*uniform(0,1)", "--bidder", "uniform(0,2)"],
     ASYMMETRIC_PLOTS),
]
RULE = {"report_border_lottery": "Border lottery"}  # the rule the win_probability caption names


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


def attribute(html, name):
    found = re.search(name + r'="([^"]*)"', html)
    return found.group(1) if found else None


def page_failures(html, expected_plots):
    """What the page's own check (kSelfCheck in html_report.cpp) found wrong."""
    failures = []
    drawn = attribute(html, "data-plots-drawn")
    if drawn != str(expected_plots):
        failures.append(f"plots drawn {drawn} of {expected_plots}")
    for name, what in (("data-plots-empty", "empty"), ("data-plots-outside", "drawn outside "
                                                       "the axes (clipped)")):
        value = attribute(html, name)
        if value is None or value.strip():
            failures.append(f"plots {what}: {value}")
    if attribute(html, "data-plots-titled") != str(expected_plots):
        failures.append(f"SVGs with a <title>: {attribute(html, 'data-plots-titled')}")
    return failures


def layout_failures(html):
    row = int(attribute(html, "data-first-row-plots") or 0)
    left = int(attribute(html, "data-first-plot-left") or 0)
    right = int(attribute(html, "data-first-row-right") or 0)
    width = int(attribute(html, "data-page-width") or 0)
    failures = []
    if row < 2:
        failures.append(f"{row} plot(s) in the first row at {WIDTH} px: half the page empty")
    if left < MARGIN or width - right < MARGIN:
        failures.append(f"side margins {left} px and {width - right} px at {WIDTH} px")
    return failures


def dump_dom(binary, url):
    with tempfile.TemporaryDirectory() as profile:
        return chromium(binary, profile, f"--window-size={WIDTH},3000", "--dump-dom", url)


def check_case(binary, cli, out_dir, name, arguments, plots):
    page = os.path.join(out_dir, name + ".html")
    subprocess.run([cli, "report", *arguments, "--out", page, "--quiet"], check=True, timeout=300)
    url = "file://" + os.path.abspath(page)
    failures = []
    dom = dump_dom(binary, url)
    console = [l for l in dom.stderr.splitlines() if ":CONSOLE" in l]
    if dom.returncode != 0:
        failures.append(f"chromium exited {dom.returncode}: {dom.stderr[-2000:]}")
    if console:
        failures.append("console messages:\n  " + "\n  ".join(console))
    html = dom.stdout
    expected = attribute(html, "data-plots-expected")
    if expected != str(len(plots)):
        failures.append(f"{expected} plots expected by the page, {len(plots)} by the test")
    failures += page_failures(html, len(plots))
    failures += layout_failures(html)
    for plot in plots:
        if f'id="plot-{plot}"' not in html:
            failures.append(f"plot {plot} missing")
    provenance = re.search(r'id="provenance">dia [0-9.]+, [0-9-]+ [0-9:]+ UTC: <code>dia report '
                           + re.escape(arguments[0]) + ' ', html)
    if not provenance:
        failures.append("no version, date and command line on the page")
    caption = re.search(r'id="plot-win_probability".*?<figcaption>(.*?)</figcaption>', html,
                        re.S)
    rule = RULE.get(name)
    if rule and (not caption or f": {rule}" not in caption.group(1)
                 or "highest bid wins" in caption.group(1)):
        failures.append(f"the win_probability caption does not name the {rule}: "
                        f"{caption and caption.group(1)}")
    if 'id="audit-table"' not in html or 'class="failed"' in html:
        failures.append("audit table missing or an audit failed")
    if plots is ASYMMETRIC_PLOTS and ('id="class-table"' not in html
                                      or 'id="revenue-table"' not in html):
        failures.append("the asymmetric page has no class table or no revenue table")
    with tempfile.TemporaryDirectory() as profile:
        shot = os.path.join(out_dir, name + ".png")
        done = chromium(binary, profile, f"--window-size={WIDTH},3400", "--hide-scrollbars",
                        f"--screenshot={shot}", url)
        if done.returncode != 0 or not os.path.exists(shot) or os.path.getsize(shot) < 10000:
            failures.append(f"no screenshot {shot}: {done.stderr[-2000:]}")
        else:
            print(f"screenshot: {shot}")
    return failures


def check_broken_page_is_caught(binary, out_dir, name):
    """The page's check must fail on a plot drawn outside its axes and on a plot with no curve:
    move the first curve's first point far above the plot area of the first plot, delete every
    curve and marker of the second."""
    with open(os.path.join(out_dir, name + ".html"), encoding="utf-8") as f:
        html = f.read()
    ids = re.findall(r'<figure class="plot" id="plot-([a-z_]+)"', html)
    html = re.sub(r'(<polyline class="curve"[^>]* points=")', r"\g<1>300,-500 ", html, count=1)
    second = html.index(f'id="plot-{ids[1]}"')
    end = html.index("</figure>", second)
    part = re.sub(r'<(polyline|circle|rect|polygon|path) class="(curve|marker)"[^>]*/>', "",
                  html[second:end])
    broken = os.path.join(out_dir, name + "_broken.html")
    with open(broken, "w", encoding="utf-8") as f:
        f.write(html[:second] + part + html[end:])
    dom = dump_dom(binary, "file://" + os.path.abspath(broken)).stdout
    outside = (attribute(dom, "data-plots-outside") or "").split()
    empty = (attribute(dom, "data-plots-empty") or "").split()
    if outside != [ids[0]] or empty != [ids[1]]:
        return [f"a broken page went unnoticed: outside {outside} (want {ids[0]}), empty {empty} "
                f"(want {ids[1]})"]
    return []


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
    for name, arguments, plots in CASES:
        failures += [f"{name}: {f}"
                     for f in check_case(binary, cli, out_dir, name, arguments, plots)]
    failures += check_broken_page_is_caught(binary, out_dir, CASES[0][0])
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
