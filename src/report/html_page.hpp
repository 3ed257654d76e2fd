// The shared frame of `dia report`'s pages (symmetric and asymmetric): the inline style and
// the self-check script that the browser test reads (tests/browser/report_browser_test.py).
#pragma once

namespace dia::report {

inline constexpr const char* kPageStyle = R"(
body { font-family: sans-serif; margin: 24px auto; padding: 0 clamp(12px, 3vw, 40px);
       max-width: 1680px; color: #222; }
h1 { margin-bottom: 4px; } .lead { font-size: 17px; max-width: 1000px; }
.provenance { font-size: 13px; color: #555; margin-top: 0; }
.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0 20px; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
th { background: #f2f2f2; } td.text { text-align: left; }
.plots { display: grid; gap: 16px;
         grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); }
figure.plot { margin: 0; border: 1px solid #ddd; padding: 8px; min-width: 0; }
figure.plot svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; color: #444; margin-top: 4px; }
.passed { color: #1a7f37; font-weight: bold; } .failed { color: #cf222e; font-weight: bold; }
)";

// Checks the page once laid out and writes the result on <body> for the browser test: how many
// plots draw a curve, which plots are empty, which draw outside their axes (a curve's or
// marker's box beyond the plot area: clipped or cut off), how many plots share the first row and
// where that row starts and ends (the side margins).
inline constexpr const char* kPageSelfCheck = R"(<script>
(function () {
  var drawn = 0, empty = [], outside = [], titled = 0;
  var figures = document.querySelectorAll('figure.plot');
  figures.forEach(function (f) {
    var svg = f.querySelector('svg'), id = f.getAttribute('data-plot');
    var area = svg && svg.querySelector('.plot-area');
    if (svg && svg.querySelector('title') && svg.querySelector('title').textContent) titled++;
    if (!area) { empty.push(id); return; }
    var a = area.getBBox(), visible = 0, out = false;
    svg.querySelectorAll('.curve, .marker').forEach(function (e) {
      var b = e.getBBox(), slack = e.classList.contains('marker') ? 5 : 1.5;
      if (b.width > 0 || b.height > 0) visible++;
      if (b.x < a.x - slack || b.y < a.y - slack || b.x + b.width > a.x + a.width + slack ||
          b.y + b.height > a.y + a.height + slack) out = true;
    });
    if (visible > 0) drawn++; else empty.push(id);
    if (out) outside.push(id);
  });
  var first = figures.length ? figures[0].getBoundingClientRect() : null, row = 0, right = 0;
  figures.forEach(function (f) {
    var box = f.getBoundingClientRect();
    if (first && Math.abs(box.top - first.top) < 1) row++, right = Math.max(right, box.right);
  });
  var body = document.body;
  body.setAttribute('data-plots-drawn', String(drawn));
  body.setAttribute('data-plots-empty', empty.join(' '));
  body.setAttribute('data-plots-outside', outside.join(' '));
  body.setAttribute('data-plots-titled', String(titled));
  body.setAttribute('data-first-row-plots', String(row));
  body.setAttribute('data-first-plot-left', first ? String(Math.round(first.left)) : '');
  body.setAttribute('data-first-row-right', String(Math.round(right)));
  body.setAttribute('data-page-width', String(document.documentElement.clientWidth));
})();
</script>)";

}  // namespace dia::report
