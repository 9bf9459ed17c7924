// The outbox: every write from the field screens is kept on the phone
// (IndexedDB) with an id made here and the time of the tap, and sent when
// there is a signal. An entry is deleted only when our server answered 2xx
// with its receipt; a 4xx is kept for the user to check; a 5xx or a lost
// line is tried again later, with growing pauses. Also: the service worker,
// the header badge, the logout warning and "Prepare for offline".
"use strict";

(function () {
  var body = document.body;
  var badge = document.querySelector("[data-outbox-badge]");
  var USER = body.dataset.user || "";
  var STORE = "entries";
  var SEND_TIMEOUT_MS = 20000;
  var MAX_PAUSE_MS = 5 * 60 * 1000;
  var LAST_SENT_KEY = "pkk-outbox-last-sent";
  var UNSAVED_KEY = "pkk-outbox-unsaved";

  function msg(name, values) {
    var text = (badge && badge.getAttribute("data-msg-" + name)) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("%(" + key + ")s").join(String(values[key]));
    });
    return text;
  }

  function clock(time) {
    var date = new Date(time);
    return ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2);
  }

  // ---- The service worker ------------------------------------------------
  if ("serviceWorker" in navigator && body.dataset.sw && USER) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(storeThisPage).catch(function () {});
  }

  function storeThisPage() {
    // The worker stores such pages as they pass; the very first visit came
    // before it was running, so that one is stored here.
    if (!body.hasAttribute("data-offline-page") || !window.caches) {
      return;
    }
    return caches.open("pkk-pages").then(function (cache) {
      return cache.match(location.href, { ignoreVary: true }).then(function (hit) {
        return hit || cache.add(location.href);
      });
    }).then(function () {
      body.dataset.offlineStored = "1";
    });
  }

  if (!window.indexedDB || !USER) {
    return;  // forms are posted the ordinary way
  }

  // ---- Storage -------------------------------------------------------------
  var opening = null;
  function database() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open("pkk-outbox", 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "id" });
        };
        request.onsuccess = function () {
          var db = request.result;
          rescue(db).catch(function () {}).then(function () { resolve(db); });
        };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opening;
  }

  // A page can go (a reload, a link, the tab closed) while IndexedDB is still
  // writing a tap made a moment before: that write is then dropped. So taps
  // not yet written are copied at once into localStorage when the page goes,
  // and the next page adds them to the outbox before anything reads it.
  var unsaved = {};  // id -> entry, from the tap until IndexedDB has it
  function leftBehind() {
    try {
      return JSON.parse(localStorage.getItem(UNSAVED_KEY) || "[]").filter(function (e) {
        return e && typeof e.id === "string" && e.user;
      });
    } catch (error) {
      return [];
    }
  }
  function keepBehind(left) {
    try {
      if (left.length) {
        localStorage.setItem(UNSAVED_KEY, JSON.stringify(left));
      } else {
        localStorage.removeItem(UNSAVED_KEY);
      }
    } catch (error) {}  // storage full: nothing more can be kept
  }
  window.addEventListener("pagehide", function () {
    var ids = Object.keys(unsaved);
    if (!ids.length) {
      return;
    }
    var kept = leftBehind().filter(function (e) { return !unsaved[e.id]; });
    keepBehind(kept.concat(ids.map(function (id) { return unsaved[id]; })));
  });
  function rescue(db) {
    var left = leftBehind();
    if (!left.length) {
      keepBehind([]);  // nothing, or nothing usable
      return Promise.resolve();
    }
    return transact(db, "readwrite", function (store) {
      left.forEach(function (entry) {
        // Only what the outbox lacks: one it has may have moved on since.
        store.add(entry).onerror = function (event) { event.preventDefault(); };
      });
    }).then(function () { keepBehind([]); });
  }
  function written(id) {
    delete unsaved[id];
    if (localStorage.getItem(UNSAVED_KEY)) {  // the page went and came back (back/forward cache)
      keepBehind(leftBehind().filter(function (e) { return e.id !== id; }));
    }
  }

  // `work(store)`'s request's result, once its transaction has committed.
  function transact(db, mode, work) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(STORE, mode);
      var request = work(tx.objectStore(STORE));
      tx.oncomplete = function () { resolve(request && request.result); };
      tx.onerror = tx.onabort = function () { reject(tx.error); };
    });
  }
  function withStore(mode, work) {
    return database().then(function (db) { return transact(db, mode, work); });
  }

  function entries() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (all) {
      // A phone shared by two facilitators: each sends only her own marks.
      return all.filter(function (e) { return e.user === USER; })
        .sort(function (a, b) { return a.seq - b.seq; });
    });
  }
  function save(entry) {
    return withStore("readwrite", function (store) { return store.put(entry); });
  }
  function remove(id) {
    return withStore("readwrite", function (store) { return store.delete(id); });
  }

  var lastSeq = 0;
  function nextSeq() {
    lastSeq = Math.max(Date.now() * 1000, lastSeq + 1);
    return lastSeq;
  }

  // ---- Taps ----------------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.matches("form[data-outbox]")) {
      return;
    }
    event.preventDefault();
    var pairs = [];
    new FormData(form).forEach(function (value, key) {
      if (key !== "csrfmiddlewaretoken" && typeof value === "string") {
        pairs.push([key, value]);
      }
    });
    var submitter = event.submitter;
    var target = form.dataset.outboxTarget;
    if (submitter && submitter.name === "mark") {
      // The roll's one form: the button names the row and the status
      // ("<participant>:<status>", ":move" for a late joiner, confirmed).
      var mark = submitter.value.split(":");
      pairs.push(["participant", mark[0]], ["status", mark[1] || ""]);
      if (mark[2] === "move") {
        pairs.push(["move_enrollment", "1"]);
      }
      target = "#" + submitter.closest("[data-mark-row]").id;
    } else if (submitter && submitter.name) {
      pairs.push([submitter.name, submitter.value]);
    }
    var fields = {};
    pairs.forEach(function (pair) { fields[pair[0]] = pair[1]; });
    var id = window.newMarkId();
    var entry = {
      id: id,
      seq: nextSeq(),
      user: USER,
      url: form.action,
      kind: form.dataset.outbox,
      target: target || (form.dataset.outboxRoll ? "#w-" + id : ""),
      roll: form.dataset.outboxRoll || "",
      fields: fields,
      pairs: pairs,  // in order, with repeats (a question with several answers)
      label: form.dataset.outboxLabel || "",
      next: form.dataset.outboxNext || "",
      tappedAt: Date.now(),
      state: "waiting",
      tries: 0,
      nextTry: 0,
      message: ""
    };
    pending.push(entry);
    unsaved[id] = entry;
    show(entry);  // at once, whatever the network
    render();
    save(entry).then(function () {
      written(id);
      if (entry.roll || entry.next) {
        // Back to the roll (or on to the next page), where it waits to be sent.
        location.assign(entry.roll || entry.next);
      } else {
        send();
      }
    }, function () {
      window.alert(body.dataset.msgFailed);
    });
  });

  var pending = [];  // the outbox as last read, oldest first

  function rowOf(entry) {
    return entry.target ? document.querySelector(entry.target) : null;
  }

  // The form a row's taps go through: the roll's list-wide form around it,
  // or a form of its own (a checklist step).
  function formOf(row) {
    return row.closest("form") || row.querySelector("form");
  }

  function statusOf(button) {
    return button.name === "mark" ? button.value.split(":")[1] : button.value;
  }

  function setSync(row, state, message) {
    var form = row.querySelector("form") || row;
    var line = row.querySelector("[data-sync]");
    if (!line) {
      line = document.createElement("p");
      line.className = "roll-sync";
      line.setAttribute("data-sync", "");
      line.setAttribute("aria-live", "polite");
      form.appendChild(line);
    }
    row.dataset.sync = state;
    line.textContent = msg("state-" + state) + (message ? ": " + message : "");
  }

  function showMark(row, status, entry) {
    row.dataset.status = status;
    if (entry.fields.move_enrollment && status) {
      row.setAttribute("data-eligible", "");
    }
    var label = "";
    row.querySelectorAll("button[name=mark], button[name=status]").forEach(function (button) {
      var on = status && statusOf(button) === status;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      label = on ? button.textContent : label;
    });
    var state = row.querySelector(".roll-state");
    if (state && label) {
      state.textContent = label + " · " + clock(entry.tappedAt);
    }
    row.classList.remove("roll-failed", "roll-saving");
  }

  function show(entry) {
    if (entry.kind === "mark") {
      var row = rowOf(entry);
      if (row && formOf(row) && formOf(row).action === entry.url) {
        if (entry.state === "waiting") {
          showMark(row, entry.fields.status || "", entry);
        }
        setSync(row, entry.state, entry.message);
      }
    } else if (entry.kind === "step") {
      var step = rowOf(entry);
      if (step && formOf(step) && formOf(step).action === entry.url) {
        if (entry.state === "waiting") {
          showStep(step, entry.fields);
        }
        setSync(step, entry.state, entry.message);
      }
    } else if (entry.kind === "walk-in") {
      showWalkIn(entry);
    } else if (entry.kind === "mark-all") {
      var roll = document.querySelector(entry.target);
      if (roll && entry.state === "waiting") {
        roll.querySelectorAll(".roll-row[data-eligible]").forEach(function (row) {
          if (!row.dataset.status) {
            showMark(row, "present", entry);
            setSync(row, "waiting", "");
          }
        });
      }
    }
    refreshRoll();
  }

  // Someone registered at the door, maybe with no signal: a row of her own
  // until the server says who she is.
  function showWalkIn(entry) {
    var roll = document.querySelector("#roll .roll");
    if (!roll || location.pathname !== entry.roll) {
      return;
    }
    var row = rowOf(entry);
    if (!row) {
      row = document.createElement("li");
      row.className = "roll-row";
      row.id = entry.target.slice(1);
      row.setAttribute("data-mark-row", "");
      row.setAttribute("data-eligible", "");
      row.dataset.status = "present";
      var who = document.createElement("div");
      who.className = "roll-who";
      var name = document.createElement("span");
      name.className = "roll-name";
      name.textContent = entry.fields.full_name || "";
      who.appendChild(name);
      row.appendChild(who);
      roll.appendChild(row);
    }
    setSync(row, entry.state, entry.message);
  }

  function showStep(row, fields) {
    row.dataset.state = fields.state;
    row.querySelectorAll(".step-choices button[name=state]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === fields.state ? "true" : "false");
    });
    row.querySelectorAll("button[name=reason]").forEach(function (button) {
      var on = fields.state === "blocked" && button.value === fields.reason;
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    var blocked = row.querySelector(".step-block > summary");
    if (blocked) {
      blocked.setAttribute("aria-pressed", fields.state === "blocked" ? "true" : "false");
    }
  }

  function refreshRoll() {
    if (typeof window.updateRollCounter === "function") {
      window.updateRollCounter();
      window.applyRollFilter();
      window.updateTrackBars();
    }
  }

  // A step's marks carry the version they were made on; the next waiting
  // mark of the same step builds on the version this answer created.
  function chainVersion(entry, html) {
    var found = /name="version" value="(\d+)"/.exec(html);
    if (entry.kind !== "step" || !found) {
      return;
    }
    pending.forEach(function (other) {
      if (other.target === entry.target && other.seq > entry.seq && other.state === "waiting") {
        other.fields.version = found[1];
        other.pairs = other.pairs.map(function (pair) {
          return pair[0] === "version" ? ["version", found[1]] : pair;
        });
        save(other);
      }
    });
  }

  // The server's answer replaces the element, unless a later tap on it is
  // still waiting (then the page keeps showing that one).
  function applyAnswer(entry, html, state, message) {
    var element = rowOf(entry);
    var later = pending.some(function (other) {
      return other.target === entry.target && other.seq > entry.seq;
    });
    if (!element || later || !html) {
      return;
    }
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.firstElementChild;
    if (!fresh || !fresh.id) {
      return;
    }
    if (entry.kind === "walk-in") {
      // She may be someone the roll already lists: that row gives way.
      var listed = document.getElementById(fresh.id);
      if (listed && listed !== element) {
        listed.remove();
      }
    } else if (("#" + fresh.id) !== entry.target) {
      return;
    }
    element.replaceWith(fresh);
    if (window.htmx) {
      window.htmx.process(fresh);
    }
    if (entry.kind !== "mark-all") {
      setSync(fresh, state, message);
    }
    pending.forEach(show);  // marks still waiting inside a replaced roll
    refreshRoll();
  }

  // ---- Sending -------------------------------------------------------------
  var running = false;
  var again = false;
  var timer = null;

  function csrfToken() {
    var cookie = document.cookie.split("; ").filter(function (c) {
      return c.indexOf("csrftoken=") === 0;
    })[0];
    if (cookie) {
      return cookie.slice("csrftoken=".length);
    }
    try {
      return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function pause(tries) {
    var base = Math.min(MAX_PAUSE_MS, 2000 * Math.pow(2, Math.min(tries, 10)));
    return base / 2 + Math.random() * base / 2;
  }

  function retryLater(entry, message) {
    entry.tries += 1;
    entry.nextTry = Date.now() + pause(entry.tries);
    entry.message = message || "";
    return save(entry);
  }

  function sendOne(entry) {
    var params = new URLSearchParams(entry.pairs || entry.fields);
    params.set("mark_id", entry.id);
    params.set("tapped_at", String(entry.tappedAt));
    params.set("sent_at", String(Date.now()));
    var controller = new AbortController();
    var timeout = setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS);
    return fetch(entry.url, {
      method: "POST",
      body: params,
      credentials: "same-origin",
      redirect: "manual",  // a login page answering 200 is not a receipt
      signal: controller.signal,
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true", "X-Outbox-Id": entry.id }
    }).then(function (response) {
      clearTimeout(timeout);
      return answered(entry, response);
    }, function () {
      clearTimeout(timeout);
      // No line: stop this round, everything else would fail the same way.
      return retryLater(entry, "").then(function () { return false; });
    });
  }

  function answered(entry, response) {
    if (response.type === "opaqueredirect") {
      return retryLater(entry, msg("login")).then(function () { return false; });
    }
    if (response.status === 401) {  // the session ended: waits for the next login
      return retryLater(entry, msg("login")).then(function () { return false; });
    }
    var receipt = response.headers.get("X-Outbox-Id") === entry.id;
    var isHtml = (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
    return response.text().then(function (text) {
      if (response.ok && receipt) {
        return remove(entry.id).then(function () {
          pending = pending.filter(function (e) { return e.id !== entry.id; });
          localStorage.setItem(LAST_SENT_KEY, String(Date.now()));
          chainVersion(entry, text);
          applyAnswer(entry, isHtml ? text : "", "saved", "");
          return true;
        });
      }
      if (response.status >= 400 && response.status < 500) {
        entry.state = "review";
        entry.status = response.status;
        entry.message = !isHtml && text.length < 300 && text.trim() ? text.trim()
          : msg("refused", { status: response.status });
        var note = null;
        if (isHtml) {
          var holder = document.createElement("div");
          holder.innerHTML = text;
          note = holder.querySelector(
            ".roll-error:not([hidden]), .step-conflict, .invalid-feedback, .alert-danger"
          );
          if (note) {
            entry.message = note.textContent.trim();
          }
        }
        return save(entry).then(function () {
          if (note && entry.target) {  // the row as the server holds it, with what went wrong
            pending = pending.filter(function (e) { return e.id !== entry.id; });
            applyAnswer(entry, text, "review", entry.message);
            pending.push(entry);
            pending.sort(function (a, b) { return a.seq - b.seq; });
          } else {
            show(entry);
          }
          return true;
        });
      }
      return retryLater(entry, msg("server")).then(function () { return true; });
    });
  }

  function round() {
    return entries().then(function (all) {
      pending = all;
      var now = Date.now();
      // Oldest first, and taps on one row strictly in order: a later tap is
      // not sent while an earlier one of the same row still waits its turn
      // (a round started just before the signal came back must not send a
      // correction before the tap it corrects).
      var held = {};
      var due = all.filter(function (e) {
        if (e.state !== "waiting") {
          return false;
        }
        var row = e.target || e.id;
        if (held[row] || e.nextTry > now) {
          held[row] = true;
          return false;
        }
        return true;
      });
      function next() {
        var entry = due.shift();
        return entry ? sendOne(entry).then(function (goOn) { return goOn ? next() : null; }) : null;
      }
      return next();
    });
  }

  function send() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    // One sender per phone, however many tabs are open.
    var work = navigator.locks ? navigator.locks.request("pkk-outbox", round) : round();
    Promise.resolve(work).catch(function () {}).then(function () {
      running = false;
      if (again) {
        again = false;
        send();
        return;
      }
      entries().then(function (all) {
        pending = all;
        render();
        var waiting = all.filter(function (e) { return e.state === "waiting"; });
        if (waiting.length) {
          var soonest = Math.min.apply(null, waiting.map(function (e) { return e.nextTry; }));
          timer = setTimeout(send, Math.max(1000, soonest - Date.now()));
        }
      });
    });
  }

  window.addEventListener("online", function () {
    entries().then(function (all) {
      return Promise.all(all.filter(function (e) { return e.state === "waiting"; })
        .map(function (e) { e.nextTry = 0; return save(e); }));
    }).then(send);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      send();
    }
  });

  // ---- The badge and the review list ------------------------------------------
  function render() {
    if (!badge) {
      return;
    }
    var waiting = pending.filter(function (e) { return e.state === "waiting"; }).length;
    var review = pending.filter(function (e) { return e.state === "review"; });
    badge.hidden = waiting + review.length === 0;
    var parts = [];
    if (waiting) {
      parts.push(msg("waiting", { count: waiting }));
    }
    if (review.length) {
      parts.push(msg("review", { count: review.length }));
    }
    var lastSent = Number(localStorage.getItem(LAST_SENT_KEY) || 0);
    if (lastSent) {
      parts.push(msg("last-sent", { time: clock(lastSent) }));
    }
    badge.querySelector("[data-outbox-summary]").textContent = parts.join(" · ");
    var list = badge.querySelector("[data-outbox-review]");
    var template = badge.querySelector("[data-outbox-review-item]");
    list.replaceChildren();
    review.forEach(function (entry) {
      var item = template.content.firstElementChild.cloneNode(true);
      var row = rowOf(entry);
      var name = row && row.querySelector(".roll-name");
      item.querySelector("[data-what]").textContent =
        (entry.label || (name ? name.textContent : "")) + " · " + clock(entry.tappedAt);
      item.querySelector("[data-why]").textContent = entry.message;
      item.querySelector("[data-retry]").addEventListener("click", function () {
        var current = entry.kind === "step" && row && row.querySelector("input[name=version]");
        if (current) {  // sent again over what the server holds now
          entry.fields.version = current.value;
          entry.pairs = entry.pairs.map(function (pair) {
            return pair[0] === "version" ? ["version", current.value] : pair;
          });
        }
        entry.state = "waiting";
        entry.tries = 0;
        entry.nextTry = 0;
        entry.message = "";
        save(entry).then(send);
      });
      item.querySelector("[data-discard]").addEventListener("click", function () {
        if (window.confirm(msg("discard"))) {
          var own = entry.kind === "walk-in" && rowOf(entry);
          if (own) {
            own.remove();
          }
          remove(entry.id).then(send);
        }
      });
      list.appendChild(item);
    });
  }

  // Logging out with marks not sent: say so first (they stay for next time).
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented || !event.target.matches("form[data-logout]")) {
      return;
    }
    var count = pending.length;
    if (count && !window.confirm(msg("logout", { count: count }))) {
      event.preventDefault();
      return;
    }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "logout" });
    }
  });

  // ---- Prepare for offline ---------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-offline-prepare]");
    if (!button || !window.caches) {
      return;
    }
    var status = document.querySelector(button.dataset.offlineStatus);
    var key = "pkk-prepared:" + button.dataset.offlinePrepare;
    button.disabled = true;
    fetch(button.dataset.offlinePrepare, { credentials: "same-origin" }).then(function (response) {
      return response.json();
    }).then(function (manifest) {
      var urls = manifest.urls;
      var done = 0;
      var failed = 0;
      return caches.open("pkk-pages").then(function (cache) {
        function next() {
          var url = urls[done + failed];
          if (url === undefined) {
            return null;
          }
          status.textContent = msg("preparing", { done: done + failed, total: urls.length });
          return fetch(url, { credentials: "same-origin", redirect: "manual" }).then(function (r) {
            if (!r.ok) {
              throw new Error(String(r.status));
            }
            return cache.put(url, r).then(function () { done += 1; });
          }).catch(function () { failed += 1; }).then(next);
        }
        return next();
      }).then(function () {
        var record = { at: Date.now(), count: done, failed: failed };
        localStorage.setItem(key, JSON.stringify(record));
        showPrepared(status, record);
      });
    }).catch(function () {
      status.textContent = body.dataset.msgOffline;
    }).then(function () {
      button.disabled = false;
    });
  });

  function showPrepared(status, record) {
    status.textContent = msg("prepared", { count: record.count, time: clock(record.at) }) +
      (record.failed ? " " + msg("prepare-failed", { count: record.failed }) : "");
  }

  document.querySelectorAll("[data-offline-prepare]").forEach(function (button) {
    var record = localStorage.getItem("pkk-prepared:" + button.dataset.offlinePrepare);
    if (record) {
      showPrepared(document.querySelector(button.dataset.offlineStatus), JSON.parse(record));
    }
  });

  // ---- At every page load: show what is waiting, and send it ----------------
  entries().then(function (all) {
    pending = all;
    all.forEach(show);
    render();
    send();
  });
})();
