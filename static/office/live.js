/* The live channel of every signed-in page (docs/notifications.md).
   One light poll (GET /notifications/live/, every data-poll seconds, ≤ 5) brings the page's whole live
   state: the unread count (the badge and the inbox show this one number) and the person's open alarms.
   An alarm is a banner under the header (a role=alert live region, keyboard reachable) that names its
   subject and links to it, stays until "知道了", and flashes the tab's title; for people who chose it
   (on by default for the director and the duty room) it also sounds a short WebAudio tone and raises a
   desktop notification. A new alarm is announced, sounded and notified once: the ids already seen are
   kept for the browser tab's session, so moving to another page does not ring again. */
(function () {
  "use strict";
  var root = document.getElementById("office-alarms");
  if (!root || !window.fetch) return;
  var list = document.getElementById("office-alarm-list");
  var tools = document.getElementById("office-alarm-tools");
  var enable = document.getElementById("office-alarm-enable");
  var template = document.getElementById("office-alarm-template");
  var texts = document.getElementById("office-alarm-more-text");
  var url = root.getAttribute("data-live-url");
  var poll = Math.min(5, Math.max(1, parseFloat(root.getAttribute("data-poll")) || 4)) * 1000;
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var SEEN_KEY = "officeAlarmSeen";
  var pageTitle = document.title;
  var lastUnread = null;
  var timer = null, flashTimer = null, stopped = false, inFlight = false;
  var state = { alarms: [], signals: false };
  window.__officeLive = { polls: 0, tones: 0, desktop: 0 };

  function seen() {
    try { return JSON.parse(window.sessionStorage.getItem(SEEN_KEY) || "[]"); } catch (e) { return []; }
  }
  function remember(ids) {
    try { window.sessionStorage.setItem(SEEN_KEY, JSON.stringify(ids.slice(-200))); } catch (e) { /* private mode */ }
  }

  // --- the tone: generated, no file; the browser lets it play only after a gesture on the page ----
  var audio = null;
  function audioContext() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    if (!audio) audio = new Ctx();
    return audio;
  }
  function unlock() {
    var ctx = audioContext();
    if (ctx && ctx.state === "suspended") ctx.resume();
  }
  document.addEventListener("pointerdown", unlock, { once: true, capture: true });
  document.addEventListener("keydown", unlock, { once: true, capture: true });
  function tone() {
    var ctx = audioContext();
    window.__officeLive.tones += 1;
    if (!ctx) return;
    [[880, 0], [660, 0.3], [880, 0.6]].forEach(function (step) {
      var osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = step[0];
      gain.gain.setValueAtTime(0.0001, ctx.currentTime + step[1]);
      gain.gain.exponentialRampToValueAtTime(0.3, ctx.currentTime + step[1] + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + step[1] + 0.25);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + step[1]);
      osc.stop(ctx.currentTime + step[1] + 0.26);
    });
  }

  // --- the desktop notification: permission asked on the person's press of the button ------------
  function canNotify() { return "Notification" in window; }
  function desktop(alarm) {
    if (!canNotify() || Notification.permission !== "granted") return;
    try {
      var n = new Notification(alarm.title, { body: alarm.body || "", tag: "office-alarm-" + alarm.id });
      n.onclick = function () { window.focus(); if (alarm.url) window.location.href = alarm.url; };
      window.__officeLive.desktop += 1;
    } catch (e) { /* some browsers allow it only from a service worker */ }
  }
  function showTools() {
    var ask = state.signals && state.alarms.length &&
      ((canNotify() && Notification.permission === "default") || (audio === null || audio.state !== "running"));
    tools.hidden = !ask;
  }
  if (enable) {
    enable.addEventListener("click", function () {
      unlock();
      if (canNotify() && Notification.permission === "default") {
        Notification.requestPermission().then(showTools, showTools);
      }
      tools.hidden = true;
    });
  }

  // --- the title flashes while an alarm is open -----------------------------------------------
  function flash(on) {
    if (on && !flashTimer) {
      var lit = false;
      var first = state.alarms[0] ? state.alarms[0].title : "";
      flashTimer = window.setInterval(function () {
        lit = !lit;
        document.title = lit ? (texts.getAttribute("data-title") + (state.alarms[0] ? state.alarms[0].title : first)) : pageTitle;
      }, 1000);
    } else if (!on && flashTimer) {
      window.clearInterval(flashTimer);
      flashTimer = null;
      document.title = pageTitle;
    }
  }

  // --- the banner: nodes are added and removed one by one, so the live region reads only what is new
  function node(alarm, isNew) {
    var el = template.content.firstElementChild.cloneNode(true);
    el.setAttribute("data-alarm", alarm.id);
    el.setAttribute("data-testid", "alarm-" + alarm.id);
    if (isNew) el.classList.add("is-new");
    el.querySelector(".office-alarm-time").textContent = alarm.time;
    var link = el.querySelector(".office-alarm-title");
    var text = el.querySelector(".office-alarm-text");
    if (alarm.url) { link.href = alarm.url; link.textContent = alarm.title; text.remove(); }
    else { link.remove(); text.textContent = alarm.title; }
    var ack = el.querySelector("[data-ack]");
    ack.setAttribute("aria-label", texts.getAttribute("data-ack-label").replace("%(title)s", alarm.title));
    ack.addEventListener("click", function () { acknowledge(alarm, el); });
    return el;
  }

  function render(data) {
    var known = seen();
    var fresh = [];
    var wanted = {};
    data.alarms.forEach(function (a) { wanted[a.id] = a; });
    Array.prototype.forEach.call(list.querySelectorAll("[data-alarm]"), function (el) {
      if (!wanted[el.getAttribute("data-alarm")]) el.remove();
    });
    var previous = null;
    data.alarms.forEach(function (a) {
      var el = list.querySelector('[data-alarm="' + a.id + '"]');
      var isNew = known.indexOf(a.id) === -1;
      if (!el) {
        el = node(a, isNew);
        if (previous) previous.after(el); else list.prepend(el);
      }
      if (isNew) { fresh.push(a); known.push(a.id); }
      previous = el;
    });
    var more = list.querySelector(".office-alarm-more");
    var extra = data.alarm_total - data.alarms.length;
    if (extra > 0) {
      if (!more) {
        more = document.createElement("div");
        more.className = "office-alarm-more";
        list.appendChild(more);
      }
      var sentence = texts.getAttribute("data-more").replace("%(n)s", extra);
      if (more.textContent !== sentence) more.textContent = sentence;
    } else if (more) {
      more.remove();
    }
    remember(known);
    root.classList.toggle("has-alarms", data.alarms.length > 0);
    flash(data.alarms.length > 0);
    if (fresh.length && data.signals) {
      tone();
      fresh.forEach(desktop);
    }
    showTools();
  }

  function apply(data) {
    state = data;
    window.__officeLive.polls += 1;
    var badge = document.getElementById("unread-count");
    if (badge && badge.textContent !== data.unread_text) badge.textContent = data.unread_text;
    if (lastUnread === null) {
      // A page that shows the count itself (the inbox) says what it showed, so a change between its
      // rendering and the first poll refreshes it too.
      var holder = document.querySelector("[data-live-unread]");
      if (holder) lastUnread = Math.min(parseInt(holder.getAttribute("data-live-unread"), 10), data.unread_cap);
    }
    if (lastUnread !== null && lastUnread !== data.unread) {
      // Pages that list messages (the inbox) refresh themselves on this event (hx-trigger "from:body").
      document.body.dispatchEvent(new CustomEvent("officeUnreadChanged", { bubbles: true, detail: data }));
    }
    lastUnread = data.unread;
    render(data);
    document.dispatchEvent(new CustomEvent("office:live", { detail: data }));
  }

  function acknowledge(alarm, el) {
    var next = el.nextElementSibling || el.previousElementSibling;
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", csrf);
    fetch(alarm.ack, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRFToken": csrf, Accept: "application/json" }
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) return;
      apply(data);
      // Focus goes to the next alarm's button, or back to the page when none is left.
      var target = next && document.body.contains(next) ? next.querySelector("[data-ack]") : null;
      (target || document.getElementById("main")).focus();
      if (window.officeAnnounce) window.officeAnnounce(el.querySelector("[data-ack]").textContent + "：" + alarm.title);
    });
  }

  function schedule(delay) {
    if (stopped) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(check, delay);
  }

  function check() {
    if (inFlight) { schedule(poll); return; }
    inFlight = true;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) { stopped = true; return null; }
        return r.ok ? r.json() : null;
      })
      .then(function (data) { if (data) apply(data); })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { inFlight = false; schedule(poll); });
  }

  // "标为已读" and other actions on messages: ask at once rather than at the next tick.
  document.body.addEventListener("notificationsChanged", function () { schedule(0); });
  window.officeLiveCheck = function () { schedule(0); };
  check();
})();
