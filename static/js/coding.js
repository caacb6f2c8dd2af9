/* Coding workbench: turn a text selection into character offsets for the
   coding form, and ask for confirmation before destructive actions.
   Without JavaScript the start/end number fields work on their own.
   No inline JS (strict CSP). */
(function () {
  "use strict";

  // The number of characters of `container`'s text before (node, offset).
  function offsetWithin(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function setupSelection() {
    var container = document.getElementById("fragment-text");
    var form = document.getElementById("coding-form");
    if (!container || !form) { return; }
    var start = form.querySelector("input[name=start]");
    var end = form.querySelector("input[name=end]");
    var preview = document.getElementById("selection-preview");
    var length = parseInt(container.dataset.length, 10);

    function update() {
      var selection = window.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
      var range = selection.getRangeAt(0);
      if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) {
        return;
      }
      var from = offsetWithin(container, range.startContainer, range.startOffset);
      var to = offsetWithin(container, range.endContainer, range.endOffset);
      if (to <= from || to > length) { return; }
      start.value = from;
      end.value = to;
      if (preview) {
        var text = container.textContent.slice(from, to);
        preview.textContent = "“" + (text.length > 200 ? text.slice(0, 200) + "…" : text) + "” (" + from + "–" + to + ")";
      }
    }

    container.addEventListener("mouseup", update);
    container.addEventListener("keyup", update);
    document.addEventListener("selectionchange", update);
  }

  function setupConfirm() {
    document.querySelectorAll("form.js-confirm").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
  }

  setupSelection();
  setupConfirm();
})();
