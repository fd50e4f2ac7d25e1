#!/bin/sh
# tui_man.sh — the manual page formats without warnings and documents every command,
# every workbench command word and every parameter of the table.
. "$SRCDIR/tests/lib.sh"
command -v groff >/dev/null 2>&1 || { echo "SKIP: groff not installed"; exit 77; }
MAN="$SRCDIR/man/clickseq.1"
LANG=C.UTF-8 groff -man -Tutf8 -ww -z "$MAN" > "$T/warn" 2>&1
if [ -s "$T/warn" ]; then bad "groff warnings"; sed 's/^/    /' "$T/warn"; else ok "formats without warnings"; fi
LANG=C.UTF-8 groff -man -Tutf8 -P-c -P-b -P-u "$MAN" > "$T/text" 2>/dev/null
for s in NAME SYNOPSIS DESCRIPTION "THE WORKBENCH" "HEADLESS COMMANDS" PARAMETERS "DATA FORMATS" \
         "RUN DIRECTORY" ENVIRONMENT "EXIT STATUS" EXAMPLES; do
    grep -q "^$s" "$T/text" && ok "section $s" || bad "no section $s"
done
# every headless command listed by clickseq --help
"$CLICKSEQ" --help | awk '/^commands:/{f=1;next} f&&/^  [a-z]/{print $1}' | while read -r c; do
    [ "$c" = tui ] && continue
    grep -q -- "$c" "$T/text" || echo "$c" >> "$T/missing"
done
# every parameter of the table (from the train command's help)
"$CLICKSEQ" train --help | sed -n 's/^  --\(\[no-\]\)\{0,1\}\([a-z-]*\).*/\2/p' | while read -r p; do
    case $p in out|json|quiet|preset) continue ;; esac
    grep -q -- "$p" "$T/text" || echo "parameter $p" >> "$T/missing"
done
for w in load set train queue pause resume stop save compare replay sweep early help quit watch; do
    grep -q -- "^ *$w\b\|, $w\b\|$w \[" "$T/text" || echo "command word $w" >> "$T/missing"
done
if [ -s "$T/missing" ]; then bad "undocumented: $(tr '\n' ' ' < "$T/missing")"; else ok "every command, workbench command and parameter is documented"; fi
finish
