// Small behaviours the Content-Security-Policy keeps out of the templates.
"use strict";

document.addEventListener("submit", function (event) {
  var form = event.target;
  // In a list-wide form (the roll) the tapped button's row may ask first.
  var asker = event.submitter && event.submitter.closest("[data-confirm]");
  var message = (asker && form.contains(asker) ? asker : form).getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Close the account menu when tapping elsewhere.
document.addEventListener("click", function (event) {
  document.querySelectorAll("details.app-menu[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) {
      menu.removeAttribute("open");
    }
  });
});

// ---- Roll call -----------------------------------------------------------
// Every tap carries an id made here; a retry of the same tap re-sends the
// same id, so the server recognises a request it already applied.

function newMarkId() {
  var bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  var hex = Array.prototype.map.call(bytes, function (b) {
    return (b + 0x100).toString(16).slice(1);
  }).join("");
  return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
    hex.slice(16, 20) + "-" + hex.slice(20);
}

document.addEventListener("htmx:configRequest", function (event) {
  var form = event.detail.elt.closest("form[data-mark]");
  if (!form) {
    return;
  }
  var params = event.detail.parameters;
  var intent = [params.status, params.state, params.reason].join("|");
  // The same tap again (a retry) keeps its id; a different tap gets a new one.
  if (!form.dataset.markId || form.dataset.markIntent !== intent) {
    form.dataset.markId = newMarkId();
    form.dataset.markIntent = intent;
  }
  params.mark_id = form.dataset.markId;
  var row = form.closest("[data-mark-row]");
  if (row) {
    var submitter = event.detail.triggeringEvent && event.detail.triggeringEvent.submitter;
    row.classList.remove("roll-failed");
    row.classList.add("roll-saving");
    row.querySelectorAll(".roll-pending").forEach(function (button) {
      button.classList.remove("roll-pending");
    });
    if (submitter) {
      submitter.classList.add("roll-pending");
    }
  }
});

function showFailure(event, message) {
  var form = event.detail.elt.closest("form[data-mark]");
  var row = form && form.closest("[data-mark-row]");
  if (!row) {
    if (form) {
      window.alert(message);
    }
    return;
  }
  row.classList.remove("roll-saving");
  row.classList.add("roll-failed");
  var box = row.querySelector(".roll-error");
  box.textContent = message;
  box.hidden = false;
}

document.addEventListener("htmx:sendError", function (event) {
  showFailure(event, document.body.dataset.msgOffline);
});
document.addEventListener("htmx:timeout", function (event) {
  showFailure(event, document.body.dataset.msgOffline);
});
document.addEventListener("htmx:responseError", function (event) {
  var text = event.detail.xhr.responseText || "";
  var isPlain = (event.detail.xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0;
  showFailure(event, (isPlain && text.length < 300 ? text + " " : "") + document.body.dataset.msgFailed);
});

// A checklist's progress bar follows every mark (done and not applicable count).
function updateTrackBars() {
  document.querySelectorAll("[data-track]").forEach(function (track) {
    var done = track.querySelectorAll(
      ".step-row[data-state=done], .step-row[data-state=not_applicable]"
    ).length;
    var bar = track.querySelector("[data-track-bar]");
    if (bar) {
      bar.value = done;
      track.querySelector("[data-track-count]").textContent = done;
    }
  });
}

function updateRollCounter() {
  var roll = document.getElementById("roll");
  if (!roll) {
    return;
  }
  var attended = roll.querySelectorAll(
    ".roll-row[data-eligible][data-status=present], .roll-row[data-eligible][data-status=late]"
  ).length;
  roll.querySelector("[data-roll-attended]").textContent = attended;
  // A late joiner marked after confirming becomes eligible: count her too.
  roll.querySelector("[data-roll-eligible]").textContent =
    roll.querySelectorAll(".roll-row[data-eligible]").length;
  var late = roll.querySelectorAll(".roll-row:not([data-eligible])").length;
  roll.querySelector("[data-roll-late]").textContent = late;
  roll.querySelector("[data-roll-late-note]").hidden = late === 0;
}

function applyRollFilter() {
  var input = document.querySelector("[data-roll-filter]");
  if (!input) {
    return;
  }
  var needle = input.value.trim().toLowerCase();
  document.querySelectorAll(input.dataset.rollFilter + " .roll-row").forEach(function (row) {
    var name = row.querySelector(".roll-name");
    row.hidden = needle !== "" && (!name || name.textContent.toLowerCase().indexOf(needle) === -1);
  });
}

document.addEventListener("input", function (event) {
  if (event.target.matches("[data-roll-filter]")) {
    applyRollFilter();
  }
});

document.addEventListener("htmx:afterSwap", function () {
  updateRollCounter();
  applyRollFilter();
  updateTrackBars();
});

// A personal survey link: copy it to send by WhatsApp, or print the card.
document.addEventListener("click", function (event) {
  var copy = event.target.closest("[data-copy]");
  if (copy) {
    var field = document.querySelector(copy.dataset.copy);
    field.select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(field.value);
    } else {
      document.execCommand("copy");
    }
    copy.textContent = copy.dataset.copied;
  }
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// A checklist grid's chips link to the grid's short addresses, "track/step/"
// (checklists/grid_markup.py says why), which redirect; tapped here, they go
// straight to the participant's page, whose address her card's name link
// holds, so they open with no signal too.
document.addEventListener("click", function (event) {
  var link = event.target.closest(".grid-chip");
  if (!link || link.dataset.direct) {
    return;
  }
  var ids = link.getAttribute("href").split("/"); // [track, step, ""]
  var card = link.closest(".grid-card");
  var name = card && card.querySelector(".grid-card-name");
  if (!name) {
    return;
  }
  link.href = name.getAttribute("href") + "#step-" + ids[0] + "-" + ids[1];
  link.dataset.direct = "1";
});
