// Khiên's only script: confirmation before weighty form posts, the reminder count, the
// suggestions of search fields, and the sections that refresh themselves.

// A form with data-confirm is sent only after the dialog of the page frame has named the
// consequence (and quoted the opinion or reason written in the form) and the user confirmed.
// Without the dialog element, the browser's own confirm() asks instead.
document.addEventListener("submit", function (e) {
  var form = e.target;
  // On the form, or on the one button that does the weighty thing (a form may also re-check).
  var msg = form.getAttribute("data-confirm") || (e.submitter && e.submitter.getAttribute("data-confirm"));
  if (!msg) return;
  // data-confirm-when="field=value": only when that choice is made (closing, not every move).
  var when = (form.getAttribute("data-confirm-when") || "").split("=");
  if (when.length === 2 && (!form.elements[when[0]] || form.elements[when[0]].value !== when[1])) return;
  if (form.getAttribute("data-confirmed") === "yes") {
    form.removeAttribute("data-confirmed");
    return;
  }
  e.preventDefault();
  var submitter = e.submitter || null;
  var send = function () {
    form.setAttribute("data-confirmed", "yes");
    if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
  };
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || !dialog.showModal) {
    if (window.confirm(msg)) send();
    return;
  }
  document.getElementById("confirm-message").textContent = msg;
  var written = form.querySelector("textarea, input[name=reason], input[name=note]");
  var quote = document.getElementById("confirm-quote");
  quote.textContent = written ? written.value : "";
  quote.hidden = !written || !written.value;
  dialog.returnValue = "";
  dialog.onclose = function () { if (dialog.returnValue === "yes") send(); };
  dialog.showModal();
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

// Live sections (data-refresh="/telemetry/live"): fetched again every data-refresh-seconds
// while the page is in view, and swapped in place; a failed fetch leaves the last one shown.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-refresh]").forEach(function (section) {
    var id = section.id;
    var url = section.getAttribute("data-refresh");
    var every = Math.max(5, parseInt(section.getAttribute("data-refresh-seconds") || "30", 10));
    setInterval(function () {
      if (document.hidden) return;
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          var shown = document.getElementById(id);
          if (html && shown) shown.outerHTML = html;
        })
        .catch(function () {});
    }, every * 1000);
  });
});

// The error page's «Quay lại»: back to the form, which the browser restores with its input.
document.addEventListener("DOMContentLoaded", function () {
  var back = document.getElementById("go-back");
  if (back) back.addEventListener("click", function () { history.back(); });
});
