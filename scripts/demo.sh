#!/usr/bin/env bash
# The main job on the embedded default: load the official list files (every format) into a
# SQLite store, then show the sources, one diff between two OFAC versions, and a timeline.
set -euo pipefail
DB=${1:-discreet.db}
BIN=.venv/bin
LISTS=../shared/fixtures/lists
export DISCREET_DB="$DB"
if [ ! -d "$LISTS" ]; then
    echo "../shared not found: loading the project's own small fixtures instead"
    "$BIN/discreet" load tests/fixtures/un/*.xml tests/fixtures/eu_fsf/*.xml
    "$BIN/discreet" sources
    exit 0
fi
for f in "$LISTS"/ofac_sdn_csv/history_jackdwyer/sdn_2024-0{2-20,2-23,5-02,5-03}.csv; do
    "$BIN/discreet" load --source us_ofac_sdn "$f"
done
"$BIN/discreet" load "$LISTS"/un/un_consolidated_2018-*.xml
# Seven years lie between the 2018 files and the next: 18% of the 2018 entries were delisted
# meanwhile, more than the removal gate lets one new version take away unasked (it is there to
# refuse a truncated download); say that these removals are expected.
"$BIN/discreet" load --max-removal 0.3 "$LISTS"/un/un_consolidated_202*.xml
"$BIN/discreet" load "$LISTS"/ofac_enhanced_xml/CONS_ENHANCED_2025-01-10.XML
"$BIN/discreet" load "$LISTS"/eu_fsf/*.xml "$LISTS"/uk_fcdo/*.xml \
    "$LISTS"/uk_ofsi_conlist/*.csv
"$BIN/discreet" sources
"$BIN/discreet" diff us_ofac_sdn --from 3 --to 4
"$BIN/discreet" timeline --authority UN --by year
