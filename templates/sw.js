{% autoescape off %}// pkk-training's service worker: the app shell and the pages prepared for
// use with no signal. Writes never pass through here: the page's outbox
// (static/js/outbox.js) keeps them in IndexedDB until the server confirms.
"use strict";

var CONFIG = {{ config }};
var SHELL = "pkk-shell-" + CONFIG.version;
var PAGES = "pkk-pages";  // pages marked X-Offline-Page; emptied at logout
// On a weak line a page may take long; after this, a stored copy is shown.
var NETWORK_PATIENCE_MS = 6000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) {
      return cache.addAll(CONFIG.shell.concat([CONFIG.offline]));
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("pkk-shell-") === 0 && name !== SHELL;
      }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "logout") {
    event.waitUntil(caches.delete(PAGES));
  }
});

function fromShell(request) {
  return caches.open(SHELL).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) {
          cache.put(request, response.clone());
        }
        return response;
      });
    });
  });
}

function storedPage(request) {
  return caches.open(PAGES).then(function (cache) {
    // The pages vary by cookie and language; the store holds one user's copy.
    return cache.match(request, { ignoreVary: true });
  });
}

function keepIfOffline(request, response) {
  if (response.ok && response.headers.get("X-Offline-Page") === "1") {
    var copy = response.clone();
    caches.open(PAGES).then(function (cache) {
      cache.put(request, copy);
    });
  }
  return response;
}

function page(request) {
  var network = fetch(request).then(function (response) {
    return keepIfOffline(request, response);
  });
  network.catch(function () {});  // answered below, from the store
  var patience = new Promise(function (resolve) {
    setTimeout(resolve, NETWORK_PATIENCE_MS);
  }).then(function () {
    return storedPage(request).then(function (hit) {
      return hit || network;  // nothing stored: keep waiting for the line
    });
  });
  return Promise.race([network, patience]).catch(function () {
    return storedPage(request).then(function (hit) {
      return hit || caches.match(CONFIG.offline, { ignoreVary: true });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.indexOf(CONFIG.static_prefix) === 0) {
    event.respondWith(fromShell(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});
{% endautoescape %}
