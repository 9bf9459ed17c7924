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
