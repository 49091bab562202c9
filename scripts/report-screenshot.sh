#!/usr/bin/env bash
# Renders the demo's report in headless Chromium: a PNG to look at, and a layout check that fails
# when a label overflows its box, a chart axis label is cut short or the page scrolls sideways.
# Not part of `mvn verify` (which needs no browser).
#
#   scripts/report-screenshot.sh                       # runs bin/opagent demo first
#   scripts/report-screenshot.sh --report FILE.html    # checks an existing report
#   options: --output PNG (default: report.png next to a given report, else
#            $TMPDIR/opagent-report.png), --widths "1400 760" (the widths checked)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
report=""
png=""
widths="1400 760"
while [ $# -gt 0 ]; do
  case "$1" in
    --report) report="$2"; shift 2 ;;
    --output) png="$2"; shift 2 ;;
    --widths) widths="$2"; shift 2 ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "report-screenshot: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "report-screenshot: Chromium is needed (Debian: apt-get install chromium)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -z "$report" ]; then
  "$root/bin/opagent" demo --output "$work/demo" >"$work/demo.log" 2>&1 \
    || { cat "$work/demo.log" >&2; echo "report-screenshot: the demo failed" >&2; exit 1; }
  report="$work/demo/report.html"
  png="${png:-${TMPDIR:-/tmp}/opagent-report.png}"
fi
[ -f "$report" ] || { echo "report-screenshot: no report at $report" >&2; exit 2; }
png="${png:-$(dirname "$report")/report.png}"

# The page with a checker after its own scripts: it lists every element whose text is wider than
# its box, every chart axis label shortened with an ellipsis, and a page wider than the window.
checked="$work/checked.html"
checker='<script>
(function () {
  var bad = [];
  var doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    bad.push("page: " + doc.scrollWidth + "px wide in a " + window.innerWidth + "px window");
  }
  document.querySelectorAll("body *").forEach(function (el) {
    var style = getComputedStyle(el);
    if (style.display === "inline" || el.tagName === "CANVAS" || el.tagName === "SCRIPT") { return; }
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      bad.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + ": \"" +
        el.textContent.trim().slice(0, 60) + "\" needs " + el.scrollWidth + "px, has " + el.clientWidth + "px");
    }
  });
  if (typeof Chart !== "undefined") {
    Object.values(Chart.instances).forEach(function (chart) {
      Object.values(chart.scales).forEach(function (scale) {
        (scale.ticks || []).forEach(function (t) {
          var label = Array.isArray(t.label) ? t.label.join(" ") : String(t.label);
          if (label.indexOf("\u2026") >= 0) {
            bad.push("chart " + chart.canvas.id + " axis " + scale.id + ": label cut to \"" + label + "\"");
          }
        });
      });
    });
  }
  var out = document.createElement("pre");
  out.id = "layout-check";
  out.textContent = bad.length === 0 ? "LAYOUT OK" : "LAYOUT PROBLEMS\n" + bad.join("\n");
  out.setAttribute("data-height", String(doc.scrollHeight));
  document.body.appendChild(out);
})();
</script>'
python3 - "$report" "$checked" "$checker" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
i = page.rindex("</body>")
open(sys.argv[2], "w", encoding="utf-8").write(page[:i] + sys.argv[3] + "\n" + page[i:])
PY

status=0
height=4000
for width in $widths; do
  dom="$("$browser" --headless --no-sandbox --disable-gpu --window-size="$width,4000" \
    --virtual-time-budget=10000 --dump-dom "file://$checked" 2>/dev/null)"
  result="$(printf '%s' "$dom" | python3 -c '
import sys, re, html
m = re.search(r"<pre id=\"layout-check\"[^>]*>(.*?)</pre>", sys.stdin.read(), re.S)
print(html.unescape(m.group(1)) if m else "LAYOUT CHECK DID NOT RUN")')"
  if [ "$width" = "$(set -- $widths; echo "$1")" ]; then
    h="$(printf '%s' "$dom" | grep -o 'data-height="[0-9]*"' | grep -o '[0-9]*' || true)"
    height="${h:-$height}"
  fi
  echo "width ${width}px: $result"
  [ "$result" = "LAYOUT OK" ] || status=1
done

first_width="$(set -- $widths; echo "$1")"
"$browser" --headless --no-sandbox --disable-gpu --window-size="$first_width,$height" --hide-scrollbars \
  --virtual-time-budget=10000 --screenshot="$png" "file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")" >/dev/null 2>&1
echo "screenshot: $png"
exit $status
