// The decision-factor form: show only the options of the chosen category.
// Without JavaScript every group stays visible and the server checks the match.
(function () {
  document.querySelectorAll("select[data-factor-options]").forEach(function (select) {
    var form = select.form;
    var category = form && form.querySelector("select[name$='category']");
    if (!category) return;
    var labels = {};
    Array.prototype.forEach.call(category.options, function (option) {
      labels[option.value] = option.textContent.trim();
    });
    function filter() {
      var wanted = labels[category.value];
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var known = Object.keys(labels).some(function (key) { return labels[key] === group.label; });
        var show = group.label === wanted || !known;
        group.hidden = !show;
        group.disabled = !show;
      });
      var chosen = select.options[select.selectedIndex];
      if (chosen && chosen.parentNode.tagName === "OPTGROUP" && chosen.parentNode.disabled) {
        select.value = "";
      }
    }
    category.addEventListener("change", filter);
    filter();
  });
})();
