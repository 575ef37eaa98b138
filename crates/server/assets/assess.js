// Assessment workspace: keys 1–4 set the outcome of the focused row (1 compliant, 2 partly,
// 3 non-compliant, 4 not applicable), 0 clears it; Enter in a notes field moves to the next row.
document.addEventListener('keydown', function (e) {
  var row = e.target.closest && e.target.closest('tr[data-node]');
  if (!row || e.ctrlKey || e.altKey || e.metaKey) return;
  var sel = row.querySelector('select.outcome');
  if (!sel || sel.disabled) return;
  if (e.target.tagName !== 'INPUT' || e.target.type !== 'text') {
    var k = '01234'.indexOf(e.key);
    if (k >= 0) { sel.selectedIndex = k; sel.dispatchEvent(new Event('change')); e.preventDefault(); }
  } else if (e.key === 'Enter') {
    var next = row.nextElementSibling;
    while (next && !next.querySelector('select.outcome')) next = next.nextElementSibling;
    if (next) { next.querySelector('select.outcome').focus(); e.preventDefault(); }
  }
});
