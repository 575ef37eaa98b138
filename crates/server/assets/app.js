// Khiên's only script: confirmation before destructive form posts, and the reminder count.
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
