#!/usr/bin/env bash
# End-to-end checks of the colleague-ready report and notebook, beyond `swift test`:
#   scripts/test_report.sh [ARTIFACTS_DIR]
#
# 1. installs what is missing: Debian chromium and libxml2-utils; pandas, matplotlib,
#    nbconvert, nbclient, ipykernel from PyPI;
# 2. uses ARTIFACTS_DIR (default artifacts/) when it holds metrics.json, else runs
#    scripts/benchmark.lua into a scratch directory (the shared PJM file when present,
#    the synthetic default otherwise);
# 3. renders scripts/report.lua twice into the same directory and requires identical bytes,
#    and warns when the committed reports/ is not a fresh render of the committed artifacts/;
# 4. checks every SVG (rendered, and committed under reports/) with xmllint;
# 5. opens the HTML in headless Chromium over the DevTools pipe, takes a full-page screenshot
#    and fails on any console error or warning, uncaught exception, failed load or error log
#    entry (a deliberately broken page must trip the same check first);
# 6. checks notebooks/pjm_rally_demo.ipynb matches its generator and executes it with
#    `jupyter nbconvert --to notebook --execute` on the same artifacts.
# Scratch output (report, screenshot, executed notebook) stays in .build/report-test/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/.build/report-test"
rm -rf "$work"
mkdir -p "$work"
step() { echo "test_report: $*" >&2; }
fail() { echo "test_report: FAIL: $*" >&2; exit 1; }

# 1. packages
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
if ((${#need[@]})); then
    step "installing ${need[*]}"
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! python3 -c "import pandas, matplotlib, nbconvert, nbclient, ipykernel" 2>/dev/null; then
    step "installing pandas matplotlib nbconvert nbclient ipykernel"
    python3 -m pip install -q pandas matplotlib nbconvert nbclient ipykernel
fi

# 2. artifacts
step "swift build"
swift build 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]' >&2 || true
shell="$root/.build/debug/rally-shell"
[ -x "$shell" ] || fail "no $shell (the build failed)"
artifacts="${1:-artifacts}"
if [ ! -f "$artifacts/metrics.json" ]; then
    artifacts="$work/artifacts"
    data=()
    [ -f ../shared/data/pjm_comed_2013_2018.csv ] && data=(--data ../shared/data/pjm_comed_2013_2018.csv)
    step "no metrics.json in ${1:-artifacts}: running scripts/benchmark.lua ${data[*]:-(synthetic)} into $artifacts"
    "$shell" scripts/benchmark.lua "${data[@]}" --out "$artifacts" --bootstrap 100 --quiet >/dev/null
fi
artifacts=$(cd "$artifacts" && pwd)

# 3. render twice, same bytes
step "rendering the report from $artifacts"
"$shell" scripts/report.lua --artifacts "$artifacts" --out "$work/reports" >&2
cp -r "$work/reports" "$work/reports-first"
"$shell" scripts/report.lua --artifacts "$artifacts" --out "$work/reports" >/dev/null 2>&1
diff -r "$work/reports-first" "$work/reports" >/dev/null || fail "two renders of the same artifacts differ"
html="$work/reports/pjm_rally_demo.html"
[ -s "$html" ] && [ -s "$work/reports/pjm_rally_demo.md" ] || fail "the report files are missing"

# the committed reports/ should be a render of the committed artifacts (a warning only: new
# artifacts must not fail someone else's change; re-render with rally-shell scripts/report.lua)
if [ -f artifacts/metrics.json ] && [ -f reports/pjm_rally_demo.md ]; then
    mkdir -p "$work/mirror"
    ln -s "$root/artifacts" "$work/mirror/artifacts"
    (cd "$work/mirror" && "$shell" "$root/scripts/report.lua" >/dev/null 2>&1) || fail "the report does not render from the committed artifacts"
    if diff -r "$work/mirror/reports" reports >/dev/null; then
        step "reports/ is up to date with artifacts/"
    else
        step "WARNING: reports/ differs from a fresh render of artifacts/: run rally-shell scripts/report.lua and commit reports/"
    fi
fi

# 4. every SVG is well-formed
svgs=("$work"/reports/*.svg)
[ -d reports ] && shopt -s nullglob && svgs+=(reports/*.svg) && shopt -u nullglob
((${#svgs[@]} >= 5)) || fail "expected at least 5 SVG figures, found ${#svgs[@]}"
xmllint --noout "${svgs[@]}" || fail "an SVG is not well-formed XML"
step "${#svgs[@]} SVG files are well-formed"

# 5. headless Chromium: screenshot, no console errors
cat > "$work/bad.html" <<'EOF'
<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head>
<body><img src="missing.png"><script>console.error("planted error"); notDefined();</script></body></html>
EOF
cat > "$work/browser_check.py" <<'EOF'
"""Opens a page in headless Chromium over --remote-debugging-pipe (no extra packages), saves a
full-page PNG and prints every console error/warning, exception, failed load and error log entry."""
import base64, json, os, subprocess, sys, time

def check(page, png, width=1280, height=900, timeout=90):
    ours_in, chrome_out = os.pipe()
    chrome_in, ours_out = os.pipe()
    def child_fds():
        a, b = os.dup(chrome_in), os.dup(chrome_out)
        a = os.dup(a) if a < 5 else a
        b = os.dup(b) if b < 5 else b
        os.dup2(a, 3)
        os.dup2(b, 4)
    log = open(png + ".chromium.log", "w")
    proc = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                             "--hide-scrollbars", f"--window-size={width},{height}", "about:blank"],
                            preexec_fn=child_fds, close_fds=False, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    os.close(chrome_in); os.close(chrome_out)
    out, inp = os.fdopen(ours_out, "wb", buffering=0), os.fdopen(ours_in, "rb", buffering=0)
    state = {"buf": b"", "id": 0}
    events = []
    deadline = time.time() + timeout
    def read():
        while b"\0" not in state["buf"]:
            if time.time() > deadline:
                raise RuntimeError("chromium did not answer in time")
            chunk = inp.read(65536)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe (see " + log.name + ")")
            state["buf"] += chunk
        raw, state["buf"] = state["buf"].split(b"\0", 1)
        return json.loads(raw)
    def call(method, params=None, session=None):
        state["id"] += 1
        message = {"id": state["id"], "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        out.write(json.dumps(message).encode() + b"\0")
        while True:
            m = read()
            if m.get("id") == state["id"]:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            events.append(m)
    try:
        target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            call(domain + ".enable", session=session)
        call("Page.navigate", {"url": "file://" + os.path.abspath(page)}, session=session)
        while not any(e.get("method") == "Page.loadEventFired" for e in events):
            events.append(read())
        size = call("Page.getLayoutMetrics", session=session)
        full = size.get("cssContentSize") or size["contentSize"]
        shot = call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                               "clip": {"x": 0, "y": 0, "width": width, "height": full["height"], "scale": 1}},
                    session=session)
        with open(png, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        try:
            call("Browser.close")
        except RuntimeError:
            pass
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    problems = []
    for e in events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
            problems.append(f"console.{p['type']}: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            details = p["exceptionDetails"]
            problems.append("uncaught: " + details.get("exception", {}).get("description", details.get("text", "")))
        elif method == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
            problems.append(f"log {p['entry']['level']}: {p['entry']['text']} {p['entry'].get('url', '')}")
        elif method == "Network.loadingFailed":
            problems.append("load failed: " + p.get("errorText", ""))
    return problems, int(full["height"])

if __name__ == "__main__":
    found, page_height = check(sys.argv[1], sys.argv[2])
    print(json.dumps({"height": page_height, "problems": found}))
EOF
control=$(timeout 180 python3 "$work/browser_check.py" "$work/bad.html" "$work/bad.png")
python3 -c 'import json, sys; r = json.loads(sys.argv[1]); kinds = {p.split(":")[0].split(" ")[0] for p in r["problems"]}; sys.exit(0 if {"console.error", "uncaught", "load"} <= kinds else "the planted errors were not all caught: %s" % r["problems"])' "$control" \
    || fail "the browser check does not see planted console errors: $control"
result=$(timeout 180 python3 "$work/browser_check.py" "$html" "$work/report.png")
python3 -c 'import json, sys; r = json.loads(sys.argv[1]); sys.exit(0 if not r["problems"] else "console problems: %s" % r["problems"])' "$result" \
    || fail "the report page logged problems: $result"
python3 -c 'import json, sys; sys.exit(0 if json.loads(sys.argv[1])["height"] > 2000 else "the page is suspiciously short")' "$result" \
    || fail "the report page is too short: $result"
[ "$(stat -c %s "$work/report.png")" -gt 50000 ] || fail "the screenshot is nearly empty"
step "chromium: page rendered without console problems; screenshot $work/report.png ($result)"

# 6. the notebook
python3 notebooks/make_notebook.py --check >&2 || fail "notebooks/pjm_rally_demo.ipynb does not match notebooks/make_notebook.py"
step "executing notebooks/pjm_rally_demo.ipynb on $artifacts"
(cd notebooks && RALLY_ARTIFACTS="$artifacts" timeout 900 jupyter nbconvert --to notebook --execute pjm_rally_demo.ipynb \
    --output "$work/pjm_rally_demo.executed.ipynb" >&2) || fail "the notebook did not execute"
python3 - "$work/pjm_rally_demo.executed.ipynb" <<'EOF' || fail "the executed notebook is incomplete"
import json, sys
nb = json.load(open(sys.argv[1]))
code = [c for c in nb["cells"] if c["cell_type"] == "code"]
images = sum("image/png" in o.get("data", {}) for c in code for o in c["outputs"])
errors = [o for c in code for o in c["outputs"] if o.get("output_type") == "error"]
unrun = [c for c in code if c.get("execution_count") is None]
if errors or unrun or images < 5:
    sys.exit(f"errors {len(errors)}, cells not run {len(unrun)}, images {images} (expected at least 5)")
print(f"test_report: notebook executed: {len(code)} code cells, {images} figures", file=sys.stderr)
EOF
step "all report checks passed"
