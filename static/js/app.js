// Small behaviours the Content-Security-Policy keeps out of the templates.
"use strict";

document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-confirm");
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
  var status = event.detail.parameters.status || "";
  // The same tap again (a retry) keeps its id; a different tap gets a new one.
  if (!form.dataset.markId || form.dataset.markStatus !== status) {
    form.dataset.markId = newMarkId();
    form.dataset.markStatus = status;
  }
  event.detail.parameters.mark_id = form.dataset.markId;
  var row = form.closest(".roll-row");
  if (row) {
    row.classList.remove("roll-failed");
    row.classList.add("roll-saving");
    row.querySelectorAll(".roll-btn").forEach(function (button) {
      button.classList.toggle("roll-pending", button.value === status);
    });
  }
});

function showFailure(event, message) {
  var form = event.detail.elt.closest("form[data-mark]");
  var row = form && form.closest(".roll-row");
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

function updateRollCounter() {
  var roll = document.getElementById("roll");
  if (!roll) {
    return;
  }
  var attended = roll.querySelectorAll(
    ".roll-row[data-eligible][data-status=present], .roll-row[data-eligible][data-status=late]"
  ).length;
  roll.querySelector("[data-roll-attended]").textContent = attended;
}

function applyRollFilter() {
  var input = document.querySelector("[data-roll-filter]");
  if (!input) {
    return;
  }
  var needle = input.value.trim().toLowerCase();
  document.querySelectorAll(input.dataset.rollFilter + " .roll-row").forEach(function (row) {
    row.hidden = needle !== "" && row.dataset.name.indexOf(needle) === -1;
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
});
