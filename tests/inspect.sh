#!/bin/sh
# inspect.sh — `clickseq inspect`: usage errors, located input errors (exit 2), the ledger
# identity, the summary and --json, on the bundled demo, tiny fixtures and (when present)
# the real data in ../shared/data.
. "$SRCDIR/tests/lib.sh"
I="$CLICKSEQ inspect"
DEMO="$SRCDIR/data/demo-shop.csv"

expect_exit 0 "inspect --help exits 0" -- $I --help
expect_grep "--max-len N" "$T/out" "help lists --max-len"
expect_exit 2 "--data is required" -- $I
expect_exit 2 "a bad --policy is a usage error" -- $I --data "$DEMO" --policy sideways
expect_grep "'sideways'" "$T/err" "the bad value is quoted"
expect_exit 2 "a bad --format is a usage error" -- $I --data "$DEMO" --format parquet
expect_exit 2 "a bad --max-len is a usage error" -- $I --data "$DEMO" --max-len -4
expect_exit 2 "an unknown option is a usage error" -- $I --data "$DEMO" --frobnicate
$I --data "$T/missing.csv" >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" -ne 0 ] && grep -q "^clickseq: .*missing.csv" "$T/err" && ok "a missing file fails, named (exit $rc)" \
    || bad "a missing file: exit $rc, stderr: $(head -c 200 "$T/err")"

# the demo: 44,711 rows, 4,300 sessions, 51 of them only purchases (dropped by the honest cut)
expect_exit 0 "inspect the demo" -- $I --data "$DEMO"
expect_grep "rows read +44711" "$T/out" "all demo rows read"
expect_grep "sessions seen +4300" "$T/out" "all demo sessions seen"
expect_grep "sessions kept +4249" "$T/out" "honest cut keeps 4,249"
expect_grep "balanced +yes" "$T/out" "the ledger balances"
expect_grep "^  +view +42633" "$T/out" "event-type counts"
expect_grep "p50 4 " "$T/out" "length percentiles"
expect_grep "#" "$T/out" "a length histogram"

expect_exit 0 "inspect --json" -- $I --data "$DEMO" --json --max-len 10 --policy filter
python3 - "$T/out" <<'PY' && ok "JSON parses and its ledger balances" || bad "JSON check failed"
import json, sys
d = json.load(open(sys.argv[1]))
l = d["ledger"]
assert l["rows_read"] == l["rows_used"] + l["rows_skipped"] == 44711
assert l["sessions_seen"] == l["sessions_kept"] + sum(l["sessions_dropped"].values()) == 4300
assert l["sessions_dropped"]["too_long"] > 0 and l["balanced"]
s = d["summary"]
assert s["sessions"] == l["sessions_kept"] and s["length"]["max"] <= 10
assert abs(s["positive_rate"] - s["positives"] / s["sessions"]) < 1e-6
assert sum(h["sessions"] for h in s["length"]["histogram"]) == s["sessions"]
PY

expect_exit 0 "inspect --method compat" -- $I --data "$DEMO" --method compat --max-len 10 --json
python3 - "$T/out" <<'PY' && ok "compat: length <= 1 and > 10 dropped, purchases-only rows kept" || bad "compat check failed"
import json, sys
d = json.load(open(sys.argv[1]))
l, s = d["ledger"], d["summary"]
assert l["sessions_dropped"]["too_short"] > 0 and l["sessions_dropped"]["too_long"] > 0
assert l["sessions_dropped"]["empty_before_purchase"] == 0
assert s["features"] == 10 and s["length"]["min"] == 0   # all-padding rows exist
PY

# tiny hand-made fixtures: a bad timestamp on line 3, column 1
printf 'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n' >"$T/bad.csv"
printf '2019-10-01 00:00:00 UTC,view,1,2,,b,1.00,7,s1\n' >>"$T/bad.csv"
printf 'yesterday,view,1,2,,b,1.00,7,s1\n' >>"$T/bad.csv"
printf '2019-10-01 00:00:09 UTC,purchase,1,2,,b,1.00,7,s1\n' >>"$T/bad.csv"
expect_exit 2 "a bad row is an input error" -- $I --data "$T/bad.csv" --format rees46
expect_grep "^clickseq: .*bad.csv:3:1: " "$T/err" "the error names file:line:col"
expect_exit 0 "--skip-bad-rows skips and counts" -- $I --data "$T/bad.csv" --format rees46 --skip-bad-rows --json
python3 - "$T/out" <<'PY' && ok "skipped row counted; session labelled; purchase not an input" || bad "skip check failed"
import json, sys
d = json.load(open(sys.argv[1]))
l, s = d["ledger"], d["summary"]
assert (l["rows_read"], l["rows_used"], l["rows_skipped"], l["skipped"]["time"]) == (3, 2, 1, 1)
assert (s["sessions"], s["positives"], s["input_events"]) == (1, 1, 1)
assert l["events_after_purchase"] == 1 and l["purchase_events"] == 1
PY

# --json stays valid JSON when the data is not UTF-8 (Latin-1 bytes are escaped as \u00XX)
printf 'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n' >"$T/latin1.csv"
printf '2019-10-01 00:00:00 UTC,vi\351w,1,2,,b,1.00,7,s1\n' >>"$T/latin1.csv"
printf '2019-10-01 00:00:05 UTC,caf\303\251,1,2,,b,1.00,7,s1\n' >>"$T/latin1.csv"
expect_exit 0 "inspect --json on Latin-1 data" -- $I --data "$T/latin1.csv" --format rees46 --json
python3 - "$T/out" <<'PY' && ok "JSON of non-UTF-8 names parses" || bad "JSON of non-UTF-8 names"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
names = [t["type"] for t in d["summary"]["event_types"]]
assert "vi\u00e9w" in names and "caf\u00e9" in names, names
PY

# real data (skipped when absent, e.g. under make distcheck)
Y="$SHARED/yoochoose_rsc15_sample1pct"
if [ -f "$Y/sample_clicks.csv" ]; then
    expect_exit 0 "inspect yoochoose clicks + buys" -- $I --data "$Y/sample_clicks.csv" --outcomes "$Y/sample_buys.csv" --format yoochoose --json
    python3 - "$T/out" <<'PY' && ok "yoochoose: 77,171 sessions seen, 4,354 with a buy" || bad "yoochoose counts"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ledger"]["sessions_seen"] == 77171, d["ledger"]
assert d["summary"]["seen_positive"] == 4354, d["summary"]
assert d["ledger"]["balanced"]
PY
fi
U="$SHARED/online_shoppers_intention/online_shoppers_intention.csv"
if [ -f "$U" ]; then
    expect_exit 0 "inspect the UCI table" -- $I --data "$U" --format features --json
    python3 - "$T/out" <<'PY' && ok "UCI: 9,864 sessions, 15.47 % positive" || bad "UCI counts"
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
assert s["sessions"] == 9864 and round(100 * s["positive_rate"], 2) == 15.47, s
PY
fi
finish
