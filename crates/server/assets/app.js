// Khiên's only script: confirmation before destructive form posts, the reminder count, and
// the suggestions of search fields.
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});

// The unread-reminder count beside "Thông báo" in the menu.
document.addEventListener("DOMContentLoaded", function () {
  var badge = document.getElementById("unread");
  if (!badge) return;
  fetch("/api/v1/notifications/unread-count", { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (n) { if (n && n.unread > 0) { badge.textContent = n.unread; badge.hidden = false; } })
    .catch(function () {});
});

// Search fields (data-suggest="/api/v1/systems" or "/api/v1/units"): as the user types, the
// first 20 matches become the options of the field's datalist, so a form never lists thousands
// of systems or units.
(function () {
  var timer = null;
  document.addEventListener("input", function (e) {
    var field = e.target;
    var source = field.getAttribute && field.getAttribute("data-suggest");
    if (!source || !field.list) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var term = field.value.trim();
      if (term.length < 2 || term.indexOf(" – ") >= 0) return;
      fetch(source + "?limit=20&q=" + encodeURIComponent(term), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (page) {
          if (!page || !page.items) return;
          var list = field.list;
          while (list.firstChild) list.removeChild(list.firstChild);
          page.items.forEach(function (s) {
            var o = document.createElement("option");
            o.value = s.code;
            o.label = s.code + " – " + s.name + (s.owner_unit_name ? " (" + s.owner_unit_name + ")" : "");
            list.appendChild(o);
          });
        })
        .catch(function () {});
    }, 200);
  });
})();

// The error page's «Quay lại»: back to the form, which the browser restores with its input.
document.addEventListener("DOMContentLoaded", function () {
  var back = document.getElementById("go-back");
  if (back) back.addEventListener("click", function () { history.back(); });
});
