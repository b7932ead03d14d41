#!/usr/bin/env bash
# Opens a ./nas report folder in headless Chromium (from disk, as a person would) and fails on a broken image or
# any console message of the page (the report has no scripts, so any message is an error). Optionally takes a
# screenshot. Usage: .ci/browser-check.sh REPORT_DIR [SCREENSHOT.png [WIDTHxHEIGHT]]
# Run by the cli tests (BrowserCheckTest) when chromium is installed: apt-get install chromium.
set -euo pipefail
dir="$(cd "$1" && pwd)"
shot="${2:-}"
size="${3:-1400,2000}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "no chromium on the PATH (apt-get install chromium)"; exit 2; }
[ -f "$dir/index.html" ] || { echo "no index.html in $dir"; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# the page under test in a frame of a checker page, which reads every image's load state once the frame has loaded
cat > "$work/check.html" <<HTML
<!DOCTYPE html><html><body><pre id="result">not loaded</pre>
<iframe id="f" src="file://$dir/index.html" width="1400" height="900"></iframe>
<script>
document.getElementById('f').addEventListener('load', () => {
  const imgs = [...document.getElementById('f').contentDocument.images];
  const broken = imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'));
  document.getElementById('result').textContent = 'images=' + imgs.length + ' broken=' + broken.length + ' ' + broken.join(' ');
});
</script></body></html>
HTML
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$work/profile")
timeout 120 "$browser" "${flags[@]}" --allow-file-access-from-files --enable-logging=stderr --v=0 \
  --virtual-time-budget=15000 --dump-dom "file://$work/check.html" > "$work/dom.html" 2> "$work/log.txt" || true
result="$(grep -o 'images=[^<]*' "$work/dom.html" | head -1 || true)"
console="$(grep 'CONSOLE' "$work/log.txt" | grep -v 'check.html' || true)"
echo "chromium: ${result:-the page did not load}"
status=0
case "$result" in
  images=0*|"") echo "FAIL: no image was loaded"; status=1 ;;
  *" broken=0 "*) ;;
  *) echo "FAIL: broken images"; status=1 ;;
esac
if [ -n "$console" ]; then echo "FAIL: console messages:"; echo "$console"; status=1; fi
if [ -n "$shot" ]; then
  timeout 120 "$browser" "${flags[@]}" --window-size="$size" --screenshot="$shot" "file://$dir/index.html" >/dev/null 2>&1
  echo "screenshot: $shot"
fi
exit $status
