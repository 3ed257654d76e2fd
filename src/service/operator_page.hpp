// The operator's browser page of `dia serve` (GET /operator): one self-contained HTML document
// (no external resource). It takes the operator token from the URL fragment (#token=...; a
// fragment is never sent to the server nor in a Referer) or from a form, and shows
// GET /v1/auctions, GET /v1/bidders and GET /v1/ledger/check. Every value is inserted with
// textContent, never as HTML.
#pragma once

namespace dia::service {

inline constexpr const char* kOperatorPage = R"page(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>dia serve: operator</title>
<style>
:root { --fg: #1d2330; --muted: #5d6675; --line: #d9dde4; --ok: #17703a; --bad: #b3261e;
        --warn: #8a5a00; --head: #f3f5f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
       background: #fff; }
header { display: flex; gap: 16px; align-items: center; padding: 12px 24px;
         border-bottom: 1px solid var(--line); background: var(--head); }
header h1 { font-size: 18px; margin: 0; }
#status { color: var(--muted); flex: 1; }
main { padding: 8px 24px 32px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left;
         vertical-align: top; }
th { background: var(--head); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.hash { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px;
        word-break: break-all; max-width: 18em; }
.muted { color: var(--muted); }
ul.classes { margin: 2px 0 0; padding-left: 18px; }
.state { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px;
         border: 1px solid var(--line); }
.state-open { background: #e8f0fe; } .state-awarded { background: #fff4d6; }
.state-settled { background: #e3f4e8; } .state-closed { background: #eeeeee; }
.ok { color: var(--ok); font-weight: 600; } .bad { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); }
#ledger-summary { font-size: 16px; margin: 4px 0 8px; }
.cards { display: flex; flex-wrap: wrap; gap: 8px 24px; }
.cards div span { display: block; color: var(--muted); font-size: 12px; }
#login form { display: flex; gap: 8px; align-items: center; margin: 16px 0; }
#login input { width: 28em; padding: 4px; }
button { font: inherit; padding: 3px 12px; }
footer { color: var(--muted); font-size: 12px; padding: 0 24px 24px; }
</style>
</head>
<body data-state="loading">
<header>
  <h1>dia serve: operator</h1>
  <span id="status">loading...</span>
  <button id="refresh" type="button">Refresh</button>
</header>
<main>
  <section id="login" hidden>
    <p>Open this page as <code>/operator#token=OPERATOR_TOKEN</code>, or give the operator token
       here (it stays in this tab and is sent only to this server).</p>
    <form id="token-form"><label for="token-input">Operator token</label>
      <input id="token-input" type="password" autocomplete="off">
      <button type="submit">Show</button></form>
  </section>
  <section>
    <h2>Ledger check</h2>
    <div id="ledger-summary" class="muted">not loaded</div>
    <div id="ledger-totals" class="cards"></div>
    <ul id="ledger-violations"></ul>
  </section>
  <section>
    <h2>Auctions <span id="auctions-note" class="muted"></span></h2>
    <table id="auctions">
      <thead><tr><th>Auction</th><th>State</th><th>Design</th><th>Commitment SHA-256(seed)</th>
        <th>Revealed seed</th><th>Reveal</th><th>Winner</th><th class="num">Deposit</th>
        <th>Inspection</th><th class="num">Reward</th><th class="num">Revenue</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section>
    <h2>Bids after close</h2>
    <p class="muted">Bids of open auctions stay sealed; only their number is shown above.</p>
    <table id="bids">
      <thead><tr><th>Auction</th><th>Bid</th><th>Bidder</th><th class="num">Amount</th>
        <th>Format</th><th>Won</th><th class="num">Deposit</th><th>Inspection</th>
        <th class="num">Reward</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section>
    <h2>Bidders' accounts <span id="bidders-note" class="muted"></span></h2>
    <table id="bidders">
      <thead><tr><th>Bidder</th><th>Name</th><th class="num">Cash</th><th class="num">Escrow</th>
        </tr></thead>
      <tbody></tbody>
    </table>
  </section>
</main>
<footer>Amounts in currency units (1 unit = 1,000,000 micros). The newest 100 auctions and bidders
are shown; the JSON endpoints page with <code>?before=ID&amp;limit=N</code> (docs/api.md).</footer>
<script>
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let token = new URLSearchParams(location.hash.slice(1)).get("token") || "";

  function units(m) {
    if (m === null || m === undefined) return "";
    const negative = m < 0, a = Math.abs(m);
    return (negative ? "-" : "") + Math.floor(a / 1e6) + "." + String(a % 1e6).padStart(6, "0");
  }
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function row(tbody, cells) {
    const tr = el("tr");
    for (const c of cells) {
      const td = el("td");
      if (c instanceof Node) td.appendChild(c);
      else if (c && typeof c === "object") {
        td.textContent = c.text === undefined || c.text === null ? "" : String(c.text);
        if (c.cls) td.className = c.cls;
        if (c.id) td.id = c.id;
      } else td.textContent = c === undefined || c === null ? "" : String(c);
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
    return tr;
  }
  function clear(id) {
    const tbody = $(id).tBodies[0];
    tbody.replaceChildren();
    return tbody;
  }
  async function api(path) {
    const r = await fetch(path, {headers: {Authorization: "Bearer " + token}, cache: "no-store"});
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    return {status: r.status, body};
  }
  function failure(what, a) {
    const e = a.body && a.body.error;
    return what + ": HTTP " + a.status + (e ? " " + e.code + ": " + e.message : "");
  }
  async function sha256hex(hex) {
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; ++i) bytes[i] = parseInt(hex.substr(2 * i, 2), 16);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function inspectionText(i) {
    if (!i) return "";
    return "observed " + units(i.observed_micros) + ": " + (i.truthful ? "truthful" : "not truthful");
  }

  function renderLedger(a) {
    const summary = $("ledger-summary"), totals = $("ledger-totals"), list = $("ledger-violations");
    totals.replaceChildren();
    list.replaceChildren();
    if (!a.body || a.body.ok === undefined) {
      summary.className = "bad";
      summary.textContent = failure("ledger check failed", a);
      return;
    }
    const c = a.body;
    summary.className = c.ok ? "ok" : "bad";
    summary.textContent = c.ok ? "ledger check: ok (every invariant holds)"
                               : "ledger check: VIOLATED (" + c.violations.length + ")";
    summary.dataset.ok = String(c.ok);
    const cards = [["funded", units(c.funded_micros)], ["cash", units(c.cash_micros)],
                   ["escrow", units(c.escrow_micros)], ["revenue", units(c.revenue_micros)],
                   ["accounts", c.accounts], ["transactions", c.transactions],
                   ["entries", c.entries], ["auctions", c.auctions]];
    for (const [label, value] of cards) {
      const d = el("div");
      d.appendChild(el("span", label));
      d.appendChild(document.createTextNode(String(value)));
      totals.appendChild(d);
    }
    for (const v of c.violations || []) list.appendChild(el("li", v, "bad"));
  }

  // The design; with bidder classes each class's SPEC and its seats, in seat order.
  function designCell(x) {
    const text = x.values + ", " + x.bidders + " bidder" + (x.bidders > 1 ? "s" : "") +
        (x.rule === "border_lottery" ? ", Border lottery (a lower bid may win)" : "") +
        (x.classes ? ", bidder classes (priority rankings, a lower bid may win):" : "");
    if (!x.classes) return text;
    const box = el("div", text);
    const list = el("ul", null, "classes");
    for (const c of x.classes) {
      const seats = (c.bidder_ids || []).map((b, s) => "seat " + s + " bidder " + b);
      list.appendChild(el("li", "class " + c["class"] + ": " + c.values + ", " + c.admitted +
          " of " + c.count + " seat" + (c.count === 1 ? "" : "s") + " taken" +
          (seats.length ? " (" + seats.join(", ") + ")" : "")));
    }
    box.appendChild(list);
    return box;
  }

  async function renderAuctions(a) {
    const tbody = clear("auctions"), bids = clear("bids");
    if (a.status !== 200) {
      row(tbody, [{text: failure("auctions", a), cls: "bad"}]);
      return;
    }
    $("auctions-note").textContent = "(" + a.body.auctions.length + " shown" +
        (a.body.next_before !== null ? ", more before " + a.body.next_before : "") + ")";
    if (a.body.auctions.length === 0) row(tbody, [{text: "no auctions yet", cls: "muted"}]);
    for (const x of a.body.auctions) {
      const o = x.outcome || {};
      const state = el("span", x.status, "state state-" + x.status);
      const reveal = {text: x.seed ? "checking..." : "sealed until close", cls: "muted",
                      id: "reveal-" + x.auction_id};
      const tr = row(tbody, [
        x.auction_id, state, designCell(x),
        {text: x.commitment, cls: "hash"}, {text: x.seed || "", cls: "hash"}, reveal,
        x.status === "open" || x.status === "revealing"
            ? x.sealed_bids + " sealed bid" + (x.sealed_bids === 1 ? "" : "s")
                            : (o.winner_id !== null && o.winner_id !== undefined
                                   ? "bidder " + o.winner_id
                                   : "none (" + (o.highest_bidder_id ? "not delivered" : "no bids")
                                         + ")"),
        {text: o.deposit_micros ? units(o.deposit_micros) : "", cls: "num"},
        x.inspection ? inspectionText(x.inspection)
                     : (x.status === "awarded" ? "awaiting inspection" : ""),
        {text: x.inspection ? units(x.inspection.reward_micros) : "", cls: "num"},
        {text: x.inspection ? units(x.inspection.revenue_micros) : "", cls: "num"}]);
      tr.id = "auction-" + x.auction_id;
      tr.dataset.status = x.status;
      if (x.seed) {
        const cell = tr.querySelector("#reveal-" + x.auction_id);
        if (window.crypto && crypto.subtle) {
          const match = (await sha256hex(x.seed)) === x.commitment;
          cell.textContent = match ? "seed matches commitment" : "MISMATCH";
          cell.className = match ? "ok" : "bad";
        } else {
          cell.textContent = "not checked here (needs https or localhost)";
        }
      }
      for (const b of x.bids || []) {
        const d = (b.ext && b.ext.dia) || {};
        // A dia-lottery-v2 commitment that was never revealed has no amount.
        const amount = b.amount_micros === undefined ? "unrevealed" : units(b.amount_micros);
        row(bids, [x.auction_id, b.bid_id || "", b.bidder_id, {text: amount, cls: "num"},
                   b.format, d.won ? "won" : "",
                   {text: d.won ? units(d.deposit_micros) : "", cls: "num"},
                   inspectionText(d.inspection),
                   {text: d.reward_micros !== undefined ? units(d.reward_micros) : "", cls: "num"}]);
      }
    }
    if (!bids.rows.length) row(bids, [{text: "no closed auction with bids", cls: "muted"}]);
  }

  function renderBidders(a) {
    const tbody = clear("bidders");
    if (a.status !== 200) {
      row(tbody, [{text: failure("bidders", a), cls: "bad"}]);
      return;
    }
    $("bidders-note").textContent = "(" + a.body.bidders.length + " shown" +
        (a.body.next_before !== null ? ", more before " + a.body.next_before : "") + ")";
    if (a.body.bidders.length === 0) row(tbody, [{text: "no bidders yet", cls: "muted"}]);
    for (const b of a.body.bidders) {
      row(tbody, [b.bidder_id, b.name, {text: units(b.cash_micros), cls: "num"},
                  {text: units(b.escrow_micros), cls: "num"}]);
    }
  }

  async function load() {
    document.body.dataset.state = "loading";
    if (!token) {
      $("login").hidden = false;
      $("status").textContent = "no operator token";
      document.body.dataset.state = "no-token";
      return;
    }
    $("login").hidden = true;
    $("status").textContent = "loading...";
    try {
      const [auctions, bidders, ledger] = await Promise.all(
          [api("/v1/auctions"), api("/v1/bidders"), api("/v1/ledger/check")]);
      if (auctions.status === 401 || auctions.status === 403) {
        $("login").hidden = false;
        $("status").textContent = failure("the token was refused", auctions);
        document.body.dataset.state = "refused";
        return;
      }
      await renderAuctions(auctions);
      renderBidders(bidders);
      renderLedger(ledger);
      $("status").textContent = "updated " + new Date().toLocaleTimeString();
      document.body.dataset.state = "ready";
    } catch (e) {
      $("status").textContent = "cannot reach the server: " + e;
      document.body.dataset.state = "error";
    }
  }

  $("refresh").addEventListener("click", load);
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    token = $("token-input").value.trim();
    $("token-input").value = "";
    load();
  });
  window.addEventListener("hashchange", () => {
    token = new URLSearchParams(location.hash.slice(1)).get("token") || token;
    load();
  });
  load();
})();
</script>
</body>
</html>
)page";

}  // namespace dia::service
