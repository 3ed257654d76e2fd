#!/usr/bin/env python3
"""The operator page of `dia serve` (GET /operator) in a real headless Chromium (Debian's
`chromium`). Starts a real `dia serve` on a temporary SQLite database and a free loopback port,
runs an auction through the API (bidders, funds, bid, close, inspection; a second auction stays
open; a third, on a design with bidder classes, has two seats taken), checks the operator listings (GET /v1/auctions, GET /v1/bidders: operator only, bids sealed
while open), then loads /operator#token=... : no console message at all, the auctions with their
state, commitment and revealed seed, the bids after close, the balances and the ledger check are
in the DOM, and a screenshot is written for people to look at.

usage: operator_browser_test.py DIA_CLI OUT_DIR
Exit 77 (skipped) when chromium is missing, unless CI=true (then it fails).
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from report_browser_test import chromium, chromium_binary

TOKEN = "operator-browser-test-token-0123456789"


class Api:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.keys = 0

    def call(self, method, path, token=TOKEN, body=None):
        headers = {"Authorization": "Bearer " + token} if token else {}
        data = None
        if method == "POST":
            self.keys += 1
            headers["Idempotency-Key"] = f"browser-{self.keys}"
            headers["Content-Type"] = "application/json"
            data = json.dumps(body if body is not None else {}).encode()
        request = urllib.request.Request(self.base + path, data=data, headers=headers,
                                         method=method)
        try:
            with urllib.request.urlopen(request, timeout=60) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def ok(self, method, path, body=None, token=TOKEN, status=(200, 201)):
        code, answer = self.call(method, path, token, body)
        if code not in status:
            raise AssertionError(f"{method} {path}: HTTP {code} {answer}")
        return answer

    def register(self, role, name):
        """The operator registers; the principal itself exchanges the one-time code for its token."""
        registration = self.ok("POST", f"/v1/{role}s", {"name": name})
        enrolled = self.ok("POST", "/v1/enroll",
                           {"enrollment_code": registration["enrollment_code"]}, token=None)
        return dict(registration, token=enrolled["token"])


def start_server(cli, work):
    port_file = os.path.join(work, "port")
    log = open(os.path.join(work, "server.log"), "w")
    env = dict(os.environ, DIA_OPERATOR_TOKEN=TOKEN)
    server = subprocess.Popen(
        [cli, "serve", "--db", "sqlite:" + os.path.join(work, "dia.db"), "--host", "127.0.0.1",
         "--port", "0", "--port-file", port_file], env=env, stderr=log, stdout=log)
    for _ in range(600):
        if os.path.exists(port_file) or server.poll() is not None:
            break
        time.sleep(0.05)
    if not os.path.exists(port_file):
        server.kill()
        server.wait()
        raise AssertionError("dia serve did not start: " + open(log.name).read())
    return server, int(open(port_file).read())


def run_auctions(api):
    """One settled auction, one closed without bids, one open with a sealed bid."""
    alice = api.register("bidder", "alice")
    bob = api.register("bidder", "bob")
    inspector = api.register("inspector", "inspector")
    for b in (alice, bob):
        api.ok("POST", f"/v1/bidders/{b['bidder_id']}/funds", {"amount_micros": 5000000})
    # An open auction on a design with bidder classes: alice holds class 0's seat 0, bob class 1's.
    design = api.ok("POST", "/v1/designs",
                    {"bidders": ["2*discrete(1:0.5,3:0.5)", "discrete(2:0.6,4:0.4)"]})
    classes = api.ok("POST", "/v1/auctions",
                     {"design_id": design["design_id"], "protocol": "dia-lottery-v2",
                      "max_bid_micros": 5000000, "penalty_micros": 100000,
                      "reveal_seconds": 600})["auction_id"]
    for b, c in ((alice, 0), (bob, 1)):
        api.ok("POST", f"/v1/auctions/{classes}/bidders", {"bidder_id": b["bidder_id"], "class": c})
    settled = api.ok("POST", "/v1/auctions",
                     {"values": "discrete(1:0.5,2:0.3,3:0.2)", "bidders": 1})
    sid = settled["auction_id"]
    # The highest value: X(3) = 1, so the item is delivered whatever the lottery draws.
    api.ok("POST", f"/v1/auctions/{sid}/bids", {"amount_micros": 3000000}, token=alice["token"])
    api.ok("POST", f"/v1/auctions/{sid}/close")
    inspection = api.ok("POST", f"/v1/auctions/{sid}/inspection", {"observed_micros": 3000000},
                        token=inspector["token"])
    assert inspection["truthful"] and inspection["status"] == "settled", inspection
    empty = api.ok("POST", "/v1/auctions", {"values": "discrete(1:0.5,2:0.3,3:0.2)",
                                            "bidders": 1})["auction_id"]
    api.ok("POST", f"/v1/auctions/{empty}/close")
    still_open = api.ok("POST", "/v1/auctions", {"values": "discrete(1:0.5,2:0.3,3:0.2)",
                                                 "bidders": 1})["auction_id"]
    api.ok("POST", f"/v1/auctions/{still_open}/bids", {"amount_micros": 1234567},
           token=bob["token"])
    return {"settled": sid, "empty": empty, "open": still_open, "classes": classes, "alice": alice,
            "bob": bob, "inspection": inspection}


def check_listings(api, run):
    failures = []
    listing = api.ok("GET", "/v1/auctions")
    by_id = {a["auction_id"]: a for a in listing["auctions"]}
    ids = [a["auction_id"] for a in listing["auctions"]]
    if ids != sorted(ids, reverse=True) or \
            set(ids) != {run["settled"], run["empty"], run["open"], run["classes"]}:
        failures.append(f"GET /v1/auctions lists {ids}")
    s = by_id.get(run["settled"], {})
    if s.get("status") != "settled" or not s.get("seed") or len(s.get("bids", [])) != 1 \
            or s["bids"][0]["ext"]["dia"].get("reward_micros") != run["inspection"]["reward_micros"]:
        failures.append(f"settled auction listed as {s}")
    o = by_id.get(run["open"], {})
    if o.get("status") != "open" or "seed" in o or "bids" in o or o.get("sealed_bids") != 1 \
            or "1234567" in json.dumps(o):
        failures.append(f"open auction leaks or is wrong: {o}")
    page = api.ok("GET", "/v1/auctions?limit=1")
    if len(page["auctions"]) != 1 or page["next_before"] != run["open"]:
        failures.append(f"paging: {page}")
    rest = api.ok("GET", f"/v1/auctions?limit=1000&before={page['next_before']}")
    if [a["auction_id"] for a in rest["auctions"]] != [run["empty"], run["settled"], run["classes"]] \
            or rest["next_before"] is not None:
        failures.append(f"second page: {rest}")
    seats = [c.get("bidder_ids") for c in by_id.get(run["classes"], {}).get("classes", [])]
    if seats != [[run["alice"]["bidder_id"]], [run["bob"]["bidder_id"]]]:
        failures.append(f"the class auction's seats are listed as {seats}")
    bidders = api.ok("GET", "/v1/bidders")["bidders"]
    alice = [b for b in bidders if b["bidder_id"] == run["alice"]["bidder_id"]]
    expected_cash = 5000000 - 3000000 + run["inspection"]["reward_micros"]
    if len(bidders) != 2 or not alice or alice[0]["name"] != "alice" \
            or alice[0]["cash_micros"] != expected_cash:
        failures.append(f"GET /v1/bidders: {bidders}")
    for path in ("/v1/auctions", "/v1/bidders"):
        code, answer = api.call("GET", path, token=run["alice"]["token"])
        if code != 403 or answer.get("error", {}).get("code") != "forbidden":
            failures.append(f"{path} as a bidder: HTTP {code} {answer}")
        code, answer = api.call("GET", path, token=None)
        if code != 401:
            failures.append(f"{path} without a token: HTTP {code} {answer}")
    code, answer = api.call("GET", "/v1/auctions?limit=0")
    if code != 400 or answer["error"]["code"] != "invalid_field":
        failures.append(f"limit=0: HTTP {code} {answer}")
    code, answer = api.call("GET", "/v1/auctions?status=open")
    if code != 400 or answer["error"]["code"] != "unknown_field":
        failures.append(f"unknown parameter: HTTP {code} {answer}")
    return failures, s


def check_page(binary, api, out_dir, run, settled):
    failures = []
    url = f"{api.base}/operator#token={TOKEN}"
    # Waits for the page's fetches before dumping; the loopback server is the only reachable host
    # (the last --host-resolver-rules wins over the shared one that maps every name to NOTFOUND).
    flags = ["--virtual-time-budget=10000", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
    with tempfile.TemporaryDirectory() as profile:
        dom = chromium(binary, profile, *flags, "--dump-dom", url)
    console = [l for l in dom.stderr.splitlines() if ":CONSOLE" in l]
    if dom.returncode != 0:
        failures.append(f"chromium exited {dom.returncode}: {dom.stderr[-2000:]}")
    if console:
        failures.append("console messages:\n  " + "\n  ".join(console))
    html = dom.stdout
    with open(os.path.join(out_dir, "operator.html"), "w") as f:
        f.write(html)
    expected = [
        'data-state="ready"',
        f'id="auction-{run["settled"]}" data-status="settled"',
        f'id="auction-{run["empty"]}" data-status="closed"',
        f'id="auction-{run["open"]}" data-status="open"',
        settled["commitment"], settled["seed"], "seed matches commitment",
        "ledger check: ok", 'data-ok="true"', "alice", "bob", "1 sealed bid",
        "observed 3.000000: truthful", "3.000000",
        f'id="auction-{run["classes"]}" data-status="open"',
        "3 bidders, bidder classes (priority rankings, a lower bid may win):",
        f"class 0: discrete(1:0.5, 3:0.5), 1 of 2 seats taken (seat 0 bidder "
        f"{run['alice']['bidder_id']})",
        f"class 1: discrete(2:0.6, 4:0.4), 1 of 1 seat taken (seat 0 bidder "
        f"{run['bob']['bidder_id']})",
    ]
    for text in expected:
        if text not in html:
            failures.append(f"not in the DOM: {text}")
    # The open auction's sealed bid shows only as bob's committed balance, not as a bid.
    bids_table = html[html.find('<table id="bids">'):]
    bids_table = bids_table[:bids_table.find("</table>")]
    if "1.234567" in bids_table or f"<td>{run['open']}</td>" in bids_table:
        failures.append("the open auction's sealed bid is shown")
    if f"<td>{run['settled']}</td>" not in bids_table:
        failures.append("the settled auction's bid is not in the bids table")
    shot = os.path.join(out_dir, "operator.png")
    with tempfile.TemporaryDirectory() as profile:
        done = chromium(binary, profile, *flags, "--window-size=1600,1400", "--hide-scrollbars",
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
    with tempfile.TemporaryDirectory() as work:
        server, port = start_server(cli, work)
        try:
            api = Api(port)
            run = run_auctions(api)
            listing_failures, settled = check_listings(api, run)
            failures += listing_failures
            failures += check_page(binary, api, out_dir, run, settled)
        finally:
            os.kill(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(server.pid, signal.SIGKILL)
                server.wait()
        if failures:
            print(open(os.path.join(work, "server.log")).read()[-3000:])
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
