/* Case pages: progressive enhancement only — every form works without this file.
   1. Fieldsets that apply to one choice only (the 送达回证 fields of a service method, the
      parts of a proposal for its outcome) are shown when that choice is made.
   2. After a refused submission, focus moves to the list of reasons. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function sync(form, name) {
    var select = form.querySelector("select[name=" + name + "]");
    if (!select) { return; }
    var value = select.value;
    form.querySelectorAll("fieldset[data-when-field=" + name + "]").forEach(function (group) {
      var values = group.getAttribute("data-when-values").split(" ");
      var show = !value || values.indexOf(value) !== -1 || group.querySelector(".has-error");
      group.hidden = !show;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      var names = {};
      form.querySelectorAll("fieldset[data-when-field]").forEach(function (group) {
        names[group.getAttribute("data-when-field")] = true;
      });
      Object.keys(names).forEach(function (name) {
        sync(form, name);
        var select = form.querySelector("select[name=" + name + "]");
        if (select) { select.addEventListener("change", function () { sync(form, name); }); }
      });
    });
    var refusal = document.getElementById("refusal");
    if (refusal) { refusal.focus(); }
  });
})();
