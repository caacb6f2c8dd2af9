/* Logbook entry page: autosave as a draft, keep an unsent copy in localStorage,
   and record voice messages with MediaRecorder. No inline JS (strict CSP). */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function serialise(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") { return; }
      if (el.type === "checkbox") {
        if (!data[el.name]) { data[el.name] = []; }
        if (el.checked) { data[el.name].push(el.value); }
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function apply(form, data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data)) { return; }
      if (el.type === "checkbox") {
        el.checked = data[el.name].indexOf(el.value) !== -1;
      } else if (el.type !== "submit" && el.name !== "csrfmiddlewaretoken") {
        el.value = data[el.name];
      }
    });
  }

  function setupAutosave(form) {
    var key = form.dataset.storageKey;
    var status = document.getElementById("logbook-autosave-status");
    var autosave = form.dataset.autosave === "on";
    var dirty = false;
    var timer = null;
    var lastSent = JSON.stringify(serialise(form));

    function keepLocal() {
      try {
        window.localStorage.setItem(key, JSON.stringify({ data: serialise(form), at: Date.now() }));
      } catch (e) { /* storage full or disabled: the server copy still counts */ }
    }

    function clearLocal() {
      try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
    }

    function save(keepalive) {
      if (!autosave || !dirty) { return; }
      var snapshot = JSON.stringify(serialise(form));
      var body = new FormData(form);
      dirty = false;
      fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        keepalive: !!keepalive,
        headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok || response.redirected) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (json) {
        lastSent = snapshot;
        if (JSON.stringify(serialise(form)) === snapshot) { clearLocal(); }
        if (status) { status.textContent = json.message || ""; }
      }).catch(function () {
        dirty = true;
        if (status) { status.textContent = form.dataset.offlineMessage || status.dataset.offline || ""; }
      });
    }

    function changed() {
      dirty = JSON.stringify(serialise(form)) !== lastSent;
      keepLocal();
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(function () { save(false); }, 1500);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () { clearLocal(); });
    window.setInterval(function () { save(false); }, 10000);
    window.addEventListener("pagehide", function () { save(true); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { save(true); }
    });

    var stored = null;
    try { stored = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    if (stored && stored.data && JSON.stringify(stored.data) !== lastSent) {
      var banner = document.getElementById("logbook-restore");
      var button = document.getElementById("logbook-restore-button");
      if (banner && button) {
        banner.classList.remove("d-none");
        button.addEventListener("click", function () {
          apply(form, stored.data);
          banner.classList.add("d-none");
          changed();
        });
      }
    } else if (stored) {
      clearLocal();
    }
  }

  function setupRecorder() {
    var box = document.getElementById("logbook-recorder");
    if (!box || !window.MediaRecorder || !navigator.mediaDevices) { return; }
    box.classList.remove("d-none");
    var start = document.getElementById("logbook-record-start");
    var stop = document.getElementById("logbook-record-stop");
    var status = document.getElementById("logbook-record-status");
    var form = document.getElementById("logbook-entry-form");
    var recorder = null;
    var chunks = [];

    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.addEventListener("dataavailable", function (event) { chunks.push(event.data); });
        recorder.addEventListener("stop", function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          var type = recorder.mimeType || "audio/webm";
          var ext = type.indexOf("ogg") !== -1 ? "ogg" : type.indexOf("mp4") !== -1 ? "m4a" : "webm";
          var body = new FormData();
          body.append("audio", new Blob(chunks, { type: type }), "opname." + ext);
          fetch(box.dataset.uploadUrl, {
            method: "POST",
            body: body,
            credentials: "same-origin",
            headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
          }).then(function (response) { return response.json(); }).then(function (json) {
            if (json.saved) { window.location.reload(); } else { status.textContent = json.error || ""; }
          }).catch(function () { status.textContent = box.dataset.failed || ""; });
        });
        recorder.start();
        start.disabled = true;
        stop.disabled = false;
        status.textContent = box.dataset.recording || "";
      }).catch(function () { status.textContent = box.dataset.denied || ""; });
    });
    stop.addEventListener("click", function () {
      if (recorder && recorder.state !== "inactive") { recorder.stop(); }
      start.disabled = false;
      stop.disabled = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("logbook-entry-form");
    if (form) { setupAutosave(form); }
    setupRecorder();
  });
})();
