// Every table in the page scrolls sideways inside its own region, which a
// keyboard user can reach (tabindex) and a screen reader names (aria-label:
// "Tabel: " and the table's caption, else the heading before it; the prefix
// keeps the region's name apart from a section named by the same heading).
// Templates may already give the region; this covers every other table.
(function () {
  var prefix = (document.documentElement.lang || "nl").indexOf("nl") === 0 ? "Tabel: " : "Table: ";
  function labelFor(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var node = table.closest(".table-responsive") || table;
    while (node && node !== document.body) {
      var sibling = node.previousElementSibling;
      while (sibling) {
        if (/^H[1-6]$/.test(sibling.tagName)) return sibling.textContent.trim();
        var inner = sibling.querySelector && sibling.querySelector("h1, h2, h3, h4, h5, h6");
        if (inner) return inner.textContent.trim();
        sibling = sibling.previousElementSibling;
      }
      node = node.parentElement;
    }
    return document.title;
  }
  document.querySelectorAll("main table").forEach(function (table) {
    var wrap = table.parentElement;
    if (!wrap.classList.contains("table-responsive")) {
      wrap = document.createElement("div");
      wrap.className = "table-responsive";
      table.parentNode.insertBefore(wrap, table);
      wrap.appendChild(table);
    }
    if (!wrap.hasAttribute("role")) {
      wrap.setAttribute("role", "region");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("aria-label", prefix + labelFor(table));
    }
  });
})();
