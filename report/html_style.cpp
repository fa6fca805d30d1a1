// The report's stylesheet and its one script, as strings: the page carries
// them inline so that it is one file that fetches nothing.
#include "report/html_parts.h"

namespace hfa::report::html {

const char* const kStyle = R"CSS(
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #111; max-width: 80em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; }
code, .path { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.st { font-weight: 600; white-space: nowrap; padding: 0 0.3em; }
.st-fixed { background: #d4f4d4; }
.st-missing { background: #f8c8c8; }
.st-inconsistent { background: #e8cff0; }
.st-unknown { background: #fbe7b0; }
.st-not-applicable { background: #eeeeee; color: #555; }
.st-waived { background: #cfe0fb; }
.st-error { background: #b00020; color: #fff; }
.st-out-of-scope { background: #555; color: #fff; }
.banner { border: 2px solid #f9a825; background: #fff8e1; padding: 0.5em 0.8em; }
.chart { display: block; margin: 0.5em 0; }
.pair { display: flex; flex-wrap: wrap; gap: 0.5em 3em; align-items: flex-start; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; }
.legend i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em; vertical-align: -0.1em; }
.finding { border-left: 6px solid #bbb; padding-left: 0.6em; margin: 0.8em 0; }
.finding.st-missing { border-color: #c62828; }
.finding.st-fixed { border-color: #2e7d32; }
.finding.st-inconsistent { border-color: #7b1fa2; }
.finding.st-unknown { border-color: #f9a825; }
.finding.st-waived { border-color: #1565c0; }
.finding { background: none; }
.finding h4 { margin: 0.2em 0; }
table.evidence { width: 100%; }
.remedy { font-weight: 600; }
section.host { border-top: 2px solid #888; margin-top: 1.5em; }
section.host h3 { margin-bottom: 0.2em; }
.hostline { margin-top: 0; color: #333; }
details { margin: 0.5em 0; }
summary { cursor: pointer; }
ol.plan { margin: 0.2em 0 0.6em; }
#action li { margin-bottom: 0.4em; }
.matrix-scroll { overflow: auto; max-height: 70vh; max-width: 100%; border: 1px solid #bbb; }
.matrix-scroll table { margin: 0; }
.matrix-scroll th { position: sticky; top: 0; z-index: 1; }
.matrix-scroll tr > :first-child { position: sticky; left: 0; z-index: 2; background: #eee; }
.matrix-scroll tr:first-child > :first-child { z-index: 3; }
table.matrix td { text-align: center; white-space: nowrap; }
table.matrix td.off { background: none; color: transparent; }
.print-only { display: none; }
#filter { margin: 1em 0; padding: 0.5em; background: #f4f4f4; position: sticky; top: 0; z-index: 5; }
[hidden] { display: none !important; }
@media print {
  @page { size: A4 landscape; margin: 8mm; }
  body { margin: 0; font-size: 7.5pt; line-height: 1.25; max-width: none; }
  h1 { font-size: 14pt; }
  h2 { font-size: 11pt; margin: 0.8em 0 0.3em; }
  h3 { font-size: 9pt; margin: 0.6em 0 0.2em; }
  p, ul, ol { margin: 0.3em 0; }
  table { margin: 0.2em 0 0.5em; }
  #filter, .screen-only, details.rest, details.files, section.host .finding { display: none !important; }
  .print-only { display: block; }
  table.print-only { display: table; }
  table.print-findings { table-layout: fixed; }
  table.print-findings th:nth-child(1) { width: 5em; }
  table.print-findings th:nth-child(2) { width: 24%; }
  table.print-findings th:nth-child(3) { width: 7em; }
  table.print-findings th:nth-child(4) { width: 34%; }
  h1, h2, h3, h4, summary { break-after: avoid; }
  .finding, tr, li, .hostline { break-inside: avoid; }
  section.host { break-inside: auto; margin-top: 0.8em; }
  table { width: 100%; }
  th, td { overflow-wrap: anywhere; padding: 0.1em 0.3em; }
  table.matrix { table-layout: fixed; font-size: 7pt; }
  table.matrix col.host-col { width: 22em; }
  table.matrix th, table.matrix td { white-space: nowrap; }
  table.matrix th.host { white-space: normal; }
  a { color: inherit; text-decoration: none; }
  .st, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)CSS";

// The filter: a status, a host name part and a KB part hide the findings
// that do not match (a host section's rows, the matrix's cells and columns),
// and the hosts left with none. Its state also comes from the URL fragment:
// report.html#status=missing&name=srv&kb=Q29.
const char* const kScript = R"JS(
(function () {
  var form = document.getElementById('filter');
  var statusBox = document.getElementById('filter-status');
  var nameBox = document.getElementById('filter-name');
  var kbBox = document.getElementById('filter-kb');
  var counter = document.getElementById('filter-count');
  form.hidden = false;
  function fragment() {
    var out = {};
    location.hash.replace(/^#/, '').split(String.fromCharCode(38)).forEach(function (part) {
      var eq = part.indexOf('=');
      if (eq !== -1) out[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1).replace(/[+]/g, ' '));
    });
    return out;
  }
  function has(list, word) { return (' ' + (list || '') + ' ').indexOf(' ' + word + ' ') !== -1; }
  function each(root, sel, f) { Array.prototype.forEach.call(root.querySelectorAll(sel), f); }
  function apply() {
    var status = statusBox.value, name = nameBox.value.toLowerCase(), kb = kbBox.value.toLowerCase();
    var filtered = status !== '' || kb !== '';
    function hostOk(el) { return el.getAttribute('data-host').toLowerCase().indexOf(name) !== -1; }
    function kbOk(k) { return kb === '' || k.toLowerCase().indexOf(kb) !== -1; }
    function findingOk(el) {
      return (status === '' || el.getAttribute('data-status') === status) ? kbOk(el.getAttribute('data-kb')) : false;
    }
    var shown = 0, total = 0;
    each(document, 'section.host', function (sec) {
      var any = false;
      each(sec, 'tr.finding-row', function (tr) { tr.hidden = !findingOk(tr); });
      each(sec, '.finding', function (f) {
        var ok = findingOk(f);
        f.hidden = !ok;
        any = any || ok;
      });
      each(sec, 'details.rest', function (d) {
        d.open = filtered ? d.querySelector('.finding:not([hidden])') !== null : false;
      });
      var ok = hostOk(sec) ? !filtered || any || (kb === '' ? has(sec.getAttribute('data-statuses'), status) : false) : false;
      sec.hidden = !ok;
      total += 1;
      if (ok) shown += 1;
    });
    each(document, '#action li[data-host]', function (li) {
      li.hidden = !(hostOk(li) ? status === '' || has(li.getAttribute('data-statuses'), status) : false);
    });
    // An article's row stays while it has findings of the status asked for.
    each(document, '#impact tr[data-kb]', function (tr) {
      var cell = status === '' ? null : tr.querySelector('td[data-status=' + JSON.stringify(status) + ']');
      tr.hidden = !(kbOk(tr.getAttribute('data-kb')) ? cell === null || cell.textContent !== '0' : false);
    });
    each(document, 'table.matrix', function (table) {
      var rows = Array.prototype.slice.call(table.querySelectorAll('tr[data-host]'));
      var columns = {};
      rows.forEach(function (tr) {
        var rowOk = hostOk(tr), any = false;
        each(tr, 'td[data-kb]', function (td) {
          var ok = findingOk(td);
          td.classList.toggle('off', !ok);
          if (ok) {
            any = true;
            if (rowOk) columns[td.getAttribute('data-kb')] = true;
          }
        });
        tr.hidden = !(rowOk ? !filtered || any || (kb === '' ? has(tr.getAttribute('data-statuses'), status) : false) : false);
      });
      each(table, 'th[data-kb], td[data-kb]', function (cell) {
        cell.hidden = filtered ? !columns[cell.getAttribute('data-kb')] : false;
      });
    });
    counter.textContent = shown + ' of ' + total + ' installations shown';
    counter.setAttribute('data-shown', String(shown));
  }
  var initial = fragment();
  if (initial.status !== undefined) statusBox.value = initial.status;
  if (initial.name !== undefined) nameBox.value = initial.name;
  if (initial.kb !== undefined) kbBox.value = initial.kb;
  statusBox.addEventListener('change', apply);
  nameBox.addEventListener('input', apply);
  kbBox.addEventListener('input', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  apply();
})();
)JS";

}  // namespace hfa::report::html
