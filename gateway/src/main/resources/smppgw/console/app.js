// smppgw console: signs in with an API key (kept in this tab's session storage), lists campaigns, shows one's funnel,
// reads over time and read rate by hour, drawn as SVG. No framework, no network but this gateway.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  let admin = false;

  function key() { return sessionStorage.getItem("smppgw-key") || ""; }

  async function api(path) {
    const headers = key() ? { "Authorization": "Bearer " + key() } : {};
    const r = await fetch(path, { headers });
    if (!r.ok) {
      let msg = r.status + "";
      try { msg = (await r.json()).message || msg; } catch (e) { /* not JSON */ }
      const err = new Error(msg);
      err.status = r.status;
      throw err;
    }
    return r.json();
  }

  async function signIn(ev) {
    if (ev) ev.preventDefault();
    sessionStorage.setItem("smppgw-key", $("key").value.trim());
    $("login-error").textContent = "";
    try {
      let list;
      try {
        list = await api("/v1/campaigns");
        admin = false;
      } catch (e) {
        if (e.status !== 401) throw e;
        list = await api("/admin/campaigns");
        admin = true;
      }
      $("who").textContent = admin ? "Signed in as admin: every client's campaigns" : "Signed in";
      showList(list.campaigns);
    } catch (e) {
      sessionStorage.removeItem("smppgw-key");
      $("login-error").textContent = e.status === 401 || e.status === 403 ? "That key is not accepted." : "Could not sign in: " + e.message;
    }
  }

  function show(section) {
    for (const id of ["login", "campaigns", "campaign"]) $(id).hidden = id !== section;
  }

  function showList(campaigns) {
    const ul = $("campaign-list");
    ul.replaceChildren();
    if (campaigns.length === 0) {
      const li = document.createElement("li");
      li.textContent = "No campaigns yet.";
      ul.append(li);
    }
    for (const c of campaigns) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "#" + encodeURIComponent(c.campaign);
      a.dataset.campaign = c.campaign;
      a.className = "campaign-link";
      const name = document.createElement("strong");
      name.textContent = c.campaign;
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " — " + (c.status ? c.status + ", " : "") + (c.client !== undefined ? "client " + (c.client || "(none)") + ", " : "") + c.variants + " variant(s)"
        + (c.follow_up ? ", follow-up" : "") + ", updated " + c.updated_at;
      a.append(name, meta);
      a.addEventListener("click", (ev) => { ev.preventDefault(); open(c.campaign); });
      li.append(a);
      ul.append(li);
    }
    show("campaigns");
  }

  function pct(x) { return (x * 100).toFixed(1) + "%"; }

  async function open(campaign) {
    const path = (admin ? "/admin/campaigns/" : "/v1/campaigns/") + encodeURIComponent(campaign) + "/report";
    const r = await api(path);
    $("campaign-title").textContent = "Campaign " + campaign;
    const variants = r.variants && r.variants.length ? r.variants
      : [{ name: "all", recipients: r.messages, sent: r.sent, delivered: r.delivered, read: r.read, read_rate: r.read_rate,
           converted: r.converted, value: r.value, opted_out: r.opted_out }];
    const tbody = $("funnel").querySelector("tbody");
    tbody.replaceChildren();
    for (const v of variants) {
      const tr = document.createElement("tr");
      tr.dataset.variant = v.name;
      const cells = [v.name, v.recipients, v.sent, v.delivered, v.read, pct(v.read_rate), v.converted, v.value, v.opted_out];
      const keys = ["name", "recipients", "sent", "delivered", "read", "read_rate", "converted", "value", "opted_out"];
      cells.forEach((text, i) => {
        const td = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) td.scope = "row";
        td.dataset.field = keys[i];
        td.textContent = text;
        tr.append(td);
      });
      tbody.append(tr);
    }
    funnelChart(variants);
    const w = r.winner_test;
    $("winner").textContent = r.winner ? "Winner: variant " + r.winner.variant + " on " + r.winner.metric.replace("_", " ")
        + " (p = " + r.winner.p_value.toFixed(4) + ")"
      : w ? "No winner yet: " + w.leader + " leads on " + w.metric.replace("_", " ") + " (" + pct(w.leader_rate) + " vs "
        + pct(w.runner_up_rate) + "), p = " + w.p_value.toFixed(4) + ", not significant at 0.05" : "";
    const f = r.follow_up;
    $("follow-up").textContent = f ? "Follow-up: " + f.recipients + " sent, " + f.delivered + " delivered, " + f.read + " read ("
      + pct(f.read_rate) + ")" : "No follow-up sent.";
    lineChart($("reads-chart"), r.reads_over_time || [], "Cumulative reads by hours since sending");
    hourChart($("hours-chart"), r.by_hour || []);
    $("opt-outs").textContent = "Opted out after the message: " + r.opted_out + " (" + pct(r.opt_out_rate) + " of reached).";
    show("campaign");
  }

  function el(name, attrs, text) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function svg(width, height, label) {
    return el("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": label });
  }

  function funnelChart(variants) {
    const steps = ["sent", "delivered", "read", "converted"];
    const colors = ["#0b5cad", "#2f7fd1", "#b8570b", "#2c7a3f"];
    const rowH = 18, gap = 10, labelW = 90, width = 600;
    const height = variants.length * (steps.length * rowH + gap) + 10;
    const s = svg(width, height, "Funnel: " + variants.map((v) => v.name + " " + steps.map((k) => k + " " + v[k]).join(", ")).join("; "));
    const max = Math.max(1, ...variants.map((v) => v.recipients));
    let y = 5;
    for (const v of variants) {
      steps.forEach((k, i) => {
        const w = (width - labelW - 60) * (v[k] || 0) / max;
        s.append(el("text", { x: 0, y: y + 13 }, i === 0 ? v.name + " " + k : k));
        s.append(el("rect", { x: labelW, y: y + 2, width: Math.max(1, w), height: rowH - 4, fill: colors[i] }));
        s.append(el("text", { x: labelW + w + 4, y: y + 13 }, String(v[k] || 0)));
        y += rowH;
      });
      y += gap;
    }
    $("funnel-chart").replaceChildren(s);
  }

  function lineChart(box, points, label) {
    const width = 600, height = 200, pad = 30;
    const s = svg(width, height, label + ": " + (points.length ? points[points.length - 1].cumulative + " reads within "
      + points[points.length - 1].hours_after + " h" : "no reads yet"));
    if (points.length) {
      const max = Math.max(1, points[points.length - 1].cumulative);
      const n = points.length;
      const xy = [[pad, height - pad]].concat(points.map((p, i) =>
        [pad + (width - 2 * pad) * (i + 1) / n, height - pad - (height - 2 * pad) * p.cumulative / max]));
      s.append(el("polyline", { points: xy.map((p) => p.join(",")).join(" "), fill: "none", stroke: "#0b5cad", "stroke-width": 2 }));
      s.append(el("text", { x: pad, y: 12 }, max + " reads"));
      s.append(el("text", { x: width - pad - 40, y: height - 8 }, n + " h"));
    } else {
      s.append(el("text", { x: pad, y: height / 2 }, "No reads yet"));
    }
    s.append(el("line", { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, stroke: "#4a5360" }));
    box.replaceChildren(s);
  }

  function hourChart(box, hours) {
    const width = 600, height = 180, pad = 24, bw = (width - 2 * pad) / 24;
    const s = svg(width, height, "Read rate by hour of sending: " + hours.map((h) => h.hour + "h " + pct(h.read_rate)).join(", "));
    for (const h of hours) {
      const bh = (height - 2 * pad) * h.read_rate;
      s.append(el("rect", { x: pad + h.hour * bw + 1, y: height - pad - bh, width: bw - 2, height: Math.max(1, bh), fill: "#b8570b" }));
    }
    for (let h = 0; h < 24; h += 3) s.append(el("text", { x: pad + h * bw, y: height - 6 }, h + "h"));
    box.replaceChildren(s);
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("login-form").addEventListener("submit", signIn);
    $("sign-out").addEventListener("click", () => { sessionStorage.removeItem("smppgw-key"); $("who").textContent = ""; show("login"); });
    $("back").addEventListener("click", (ev) => { ev.preventDefault(); signIn(); });
    if (sessionStorage.getItem("smppgw-key") !== null) { $("key").value = key(); signIn(); }
  });
})();
