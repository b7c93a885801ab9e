// Concord console: a little script for what a form cannot do — live job
// progress, times in the viewer's zone, and the reviewer's keyboard
// shortcuts. Pages work without it. No inline script: the
// Content-Security-Policy allows only this file.
(function () {
  "use strict";

  // Times: <time datetime="RFC3339"> rendered in UTC; show the viewer's zone.
  function localTimes(root) {
    var fmt, dayFmt;
    try {
      fmt = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
      dayFmt = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "2-digit", day: "2-digit" });
    } catch (e) { return; }
    root.querySelectorAll("time[datetime]").forEach(function (t) {
      if (t.hasAttribute("data-local")) { return; }
      var d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) {
        t.title = t.textContent;
        t.textContent = (t.hasAttribute("data-day") ? dayFmt : fmt).format(d);
        t.setAttribute("data-local", "");
      }
    });
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    document.querySelectorAll(".zone").forEach(function (z) { if (zone) { z.textContent = zone; } });
  }

  // Live progress of a screening job: poll its progress, then swap in the
  // finished page without a reload.
  function pollJob(card) {
    var url = card.getAttribute("data-poll");
    if (!url) { return; }
    var bar = document.getElementById("job-progress");
    function field(name, v) {
      var el = card.querySelector('[data-field="' + name + '"]');
      if (el) { el.textContent = v; }
    }
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (p) {
          if (bar) { bar.max = Math.max(p.total, 1); bar.value = p.done; bar.textContent = Math.round(100 * p.done / Math.max(p.total, 1)) + "%"; }
          field("status", p.status); field("done", p.done); field("total", p.total); field("hits", p.hits);
          var st = card.querySelector('[data-field="status"]');
          if (st) { st.className = "status s-" + p.status; }
          if (p.finished) { refresh(); } else { setTimeout(tick, 600); }
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    setTimeout(tick, 300);
  }

  // refresh replaces <main> with the current page's, keeping the focus
  // where the reader is (no reload, no flash).
  function refresh() {
    fetch(location.href, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("main");
        var main = document.querySelector("main");
        if (fresh && main) {
          main.replaceChildren.apply(main, Array.prototype.slice.call(fresh.childNodes));
          localTimes(main);
          var card = main.querySelector("[data-poll]");
          if (card) { pollJob(card); }
        }
      });
  }

  // Keyboard shortcuts on an alert: j/k next and previous, c/d choose the
  // decision and move to the reason, Ctrl+Enter submits, ? help.
  function reviewKeys() {
    var form = document.getElementById("decision-form");
    var reason = document.getElementById("reason");
    var chosen = null;
    function typing(e) {
      var t = e.target;
      return t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT" || t.isContentEditable);
    }
    function submitWith(btn) {
      if (!form || !btn) { return; }
      if (!reason.value.trim()) { reason.focus(); return; }
      if (form.requestSubmit) { form.requestSubmit(btn); } else { btn.click(); }
    }
    document.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target === reason) {
        e.preventDefault();
        submitWith(chosen || form.querySelector('button[value="dismissed"]'));
        return;
      }
      if (e.key === "Escape" && e.target === reason) { reason.blur(); return; }
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) { return; }
      var link = document.querySelector('a[data-key="' + e.key + '"]');
      if (link) { e.preventDefault(); location.href = link.href; return; }
      if (form && (e.key === "c" || e.key === "d")) {
        e.preventDefault();
        chosen = form.querySelector('button[data-key="' + e.key + '"]');
        form.querySelectorAll("button[data-key]").forEach(function (b) { b.setAttribute("aria-pressed", b === chosen ? "true" : "false"); });
        if (reason.value.trim()) { submitWith(chosen); } else { reason.focus(); }
        return;
      }
      if (e.key === "?") { e.preventDefault(); toggleHelp(); }
    });
  }

  function toggleHelp() {
    var h = document.getElementById("key-help");
    if (h) { h.remove(); return; }
    h = document.createElement("div");
    h.id = "key-help"; h.className = "help"; h.setAttribute("role", "dialog"); h.setAttribute("aria-label", "Keyboard shortcuts");
    var items = [["j", "next alert"], ["k", "previous alert"], ["c", "confirm (then type the reason)"], ["d", "dismiss (then type the reason)"], ["Ctrl+Enter", "submit the decision"], ["?", "show or hide this help"]];
    var ul = document.createElement("ul");
    items.forEach(function (it) {
      var li = document.createElement("li"); var k = document.createElement("kbd");
      k.textContent = it[0]; li.appendChild(k); li.appendChild(document.createTextNode(" " + it[1])); ul.appendChild(li);
    });
    h.appendChild(ul);
    document.body.appendChild(h);
  }

  // Loading state: a submitted form says it is working until the next page
  // arrives (searches, screenings and uploads can take a moment).
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (e.defaultPrevented || !f || f.tagName !== "FORM") { return; }
    f.setAttribute("aria-busy", "true");
    f.classList.add("busy");
  });

  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
    var card = document.querySelector("[data-poll]");
    if (card) { pollJob(card); }
    if (document.body.getAttribute("data-page") === "alert") { reviewKeys(); }
  });
})();
