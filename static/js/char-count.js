// "123 / 2000" under every field that has data-char-limit (companies.limits), updated while typing.
// A file of its own, so the strict Content-Security-Policy holds; without it the help text says the limit.
(function () {
  "use strict";

  // As the server counts: code points, and a line break arrives as CR LF (two characters).
  function length(text) {
    var breaks = text.match(/\n/g);
    return Array.from(text).length + (breaks ? breaks.length : 0);
  }

  function attach(field) {
    var limit = parseInt(field.getAttribute("data-char-limit"), 10);
    if (!limit) {
      return;
    }
    var counter = document.createElement("span");
    counter.className = "char-count";
    field.insertAdjacentElement("afterend", counter);
    // Long texts always show their count; short fields (names, phone) only near their limit.
    var always = field.tagName === "TEXTAREA" || limit >= 500;
    var update = function () {
      var count = length(field.value);
      counter.textContent = count.toLocaleString() + " / " + limit.toLocaleString();
      counter.classList.toggle("char-count-over", count > limit);
      counter.hidden = !always && count < 0.8 * limit;
    };
    field.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("[data-char-limit]").forEach(attach);
})();
