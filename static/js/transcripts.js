/* Transcript page: click a time to play the recording from there, and follow the
   machine while it transcribes (poll its progress, show each segment as it comes).
   No inline JS (strict CSP), no libraries. */
(function () {
  "use strict";
  var audio = document.getElementById("transcript-audio");

  function playFrom(seconds) {
    if (!audio) { return; }
    audio.currentTime = seconds;
    var playing = audio.play();
    if (playing && playing.catch) { playing.catch(function () {}); }
  }

  function clock(seconds) {
    var total = Math.floor(seconds), h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60), s = total % 60;
    var mm = h ? (m < 10 ? "0" + m : "" + m) : "" + m;
    return (h ? h + ":" : "") + mm + ":" + (s < 10 ? "0" + s : s);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".transcript-time");
    if (button) { playFrom(parseFloat(button.dataset.start)); }
  });

  var box = document.getElementById("transcript-progress");
  if (!box) { return; }
  var bar = document.getElementById("transcript-bar");
  var live = document.getElementById("transcript-live");
  var status = document.getElementById("transcript-status");
  var position = parseInt(box.dataset.position, 10) || 0;

  function addSegment(segment) {
    if (!live) { return; }
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link p-0 me-2 transcript-time";
    button.dataset.start = segment.start;
    button.textContent = clock(segment.start);
    item.appendChild(button);
    item.appendChild(document.createTextNode(segment.text));
    live.appendChild(item);
  }

  function poll() {
    fetch(box.dataset.url + "?vanaf=" + position, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        if (status) { status.textContent = data.label; }
        data.segments.forEach(function (segment) {
          addSegment(segment);
          position = Math.max(position, segment.position + 1);
        });
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
