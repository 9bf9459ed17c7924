/* "Pindai kartu" on the roll page: read a participant card's QR code with the
   camera (the browser's BarcodeDetector, else the vendored jsQR, fetched only
   then) or take the code typed in, and mark that participant present. */
(function () {
  "use strict";

  function markId() {
    if (typeof newMarkId === "function") {
      return newMarkId(); // static/js/app.js: the id every mark carries
    }
    return String(Date.now()) + Math.random();
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function setup(box) {
    var form = box.querySelector(".card-scan-form");
    var input = form.querySelector("input[name=code]");
    var status = box.querySelector(".card-scan-status");
    var video = box.querySelector(".card-scan-video");
    var stream = null;
    var timer = null;
    var pending = {}; // code → mark id, kept until the server answered (a retry reuses it)
    var recent = {}; // code → time it was last sent, so one card held up is sent once

    function say(text, ok) {
      status.textContent = text;
      status.classList.toggle("text-success", ok === true);
      status.classList.toggle("text-danger", ok === false);
    }

    function send(raw) {
      var code = String(raw || "").toUpperCase().replace(/[^0-9A-Z]/g, "");
      if (!code) {
        return;
      }
      var now = Date.now();
      if (recent[code] && now - recent[code] < 4000) {
        return;
      }
      recent[code] = now;
      pending[code] = pending[code] || markId();
      var body = new FormData(form);
      body.set("code", code);
      body.set("mark_id", pending[code]);
      fetch(box.dataset.scanUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (data) {
          delete pending[code];
          say(data.message, data.ok);
          if (data.ok && data.row) {
            var row = document.getElementById("p-" + data.participant);
            if (row) {
              row.outerHTML = data.row;
              row = document.getElementById("p-" + data.participant);
              if (row && window.htmx) {
                window.htmx.process(row);
              }
            }
          }
        })
        .catch(function () {
          delete recent[code];
          var queue = box.querySelector(".card-scan-queue");
          if (queue && window.indexedDB && queue.requestSubmit) {
            // No line: the outbox keeps it and sends it when there is one.
            delete pending[code];
            queue.querySelector("input[name=code]").value = code;
            queue.requestSubmit();
            say(box.dataset.msgQueued, null);
          } else {
            say(document.body.dataset.msgOffline, false);
          }
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(input.value);
      input.value = "";
      input.focus();
    });

    function stop() {
      if (timer) {
        clearInterval(timer);
        timer = null;
      }
      if (stream) {
        stream.getTracks().forEach(function (track) {
          track.stop();
        });
        stream = null;
      }
      video.hidden = true;
    }

    function noCamera() {
      stop();
      say(box.dataset.msgNoCamera);
      input.focus();
    }

    function detector() {
      if ("BarcodeDetector" in window) {
        var native = new window.BarcodeDetector({ formats: ["qr_code"] });
        return Promise.resolve(function () {
          return native.detect(video).then(function (codes) {
            return codes.length ? codes[0].rawValue : null;
          });
        });
      }
      return loadScript(box.dataset.decoder).then(function () {
        var canvas = document.createElement("canvas");
        var context = canvas.getContext("2d", { willReadFrequently: true });
        return function () {
          if (!video.videoWidth) {
            return Promise.resolve(null);
          }
          canvas.width = video.videoWidth;
          canvas.height = video.videoHeight;
          context.drawImage(video, 0, 0);
          var image = context.getImageData(0, 0, canvas.width, canvas.height);
          var found = window.jsQR(image.data, image.width, image.height, {
            inversionAttempts: "dontInvert",
          });
          return Promise.resolve(found ? found.data : null);
        };
      });
    }

    function start() {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        noCamera();
        return;
      }
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          return video.play().then(detector);
        })
        .then(function (read) {
          say(box.dataset.msgScanning);
          var busy = false;
          timer = setInterval(function () {
            if (busy || !stream) {
              return;
            }
            busy = true;
            read()
              .then(function (text) {
                if (text) {
                  send(text);
                }
              })
              .catch(function () {})
              .then(function () {
                busy = false;
              });
          }, 350);
        })
        .catch(noCamera);
    }

    box.addEventListener("toggle", function () {
      if (box.open) {
        start();
      } else {
        stop();
      }
    });
  }

  document.querySelectorAll("[data-card-scan]").forEach(setup);
})();
