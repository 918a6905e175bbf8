#!/usr/bin/env python3
"""Writes gateway/src/main/resources/smppgw/nanp-zones.txt: the time zone of +1 numbers by prefix.

Input: libphonenumber's resources/timezones/map_data.txt (Apache License 2.0), a map of number prefixes to the
zones their numbers are in. Kept: every prefix of the NANP (1 + area code, and the exchanges (1 NPA NXX) whose zone
differs from their area code's), one zone each. A prefix the map gives several zones is resolved by the table below
(where most of its people are); any other such prefix stops the script, so a new one gets looked at. Prefixes the map
only knows as "+1" (every NANP zone: toll-free, non-geographic) are left out: their numbers use
compliance.default-time-zone.

Usage: tools/nanp_zones.py map_data.txt > gateway/src/main/resources/smppgw/nanp-zones.txt
"""
import sys

AMBIGUOUS = {
    "America/Boise&America/Los_Angeles": "America/Boise",        # Idaho: the south (Boise) is Mountain time
    "America/Denver&America/Phoenix": "America/Denver",          # Navajo Nation exchanges of 928 keep daylight saving
    "America/Puerto_Rico&America/St_Johns": "America/St_Johns",  # 709 / 879: Newfoundland
    "America/Denver&America/North_Dakota/Center": "America/North_Dakota/Center",  # 605 / 701: most people are on Central time
    "America/Adak&America/Anchorage": "America/Anchorage",       # 907: the Aleutians are few
}

entries = {}
whole = None
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("#") or "|" not in line:
        continue
    prefix, zones = line.split("|", 1)
    if prefix == "1":
        whole = zones
    elif prefix.startswith("1"):
        entries[prefix] = zones

resolved = {}
for prefix, zones in entries.items():
    if zones == whole:
        continue
    if "&" in zones:
        if zones not in AMBIGUOUS:
            sys.exit("no rule for %s|%s: add one to AMBIGUOUS" % (prefix, zones))
        zones = AMBIGUOUS[zones]
    resolved[prefix] = zones


def parent(prefix):
    for length in range(len(prefix) - 1, 3, -1):
        if prefix[:length] in resolved:
            return resolved[prefix[:length]]
    return None


print("# +1 number prefix (1, area code, exchange) -> time zone; the longest prefix wins.")
print("# Derived by tools/nanp_zones.py from libphonenumber's resources/timezones/map_data.txt (Apache License 2.0).")
print("# Prefixes not listed (toll-free, non-geographic) have no zone: compliance.default-time-zone applies.")
for prefix in sorted(resolved):
    if len(prefix) > 4 and parent(prefix) == resolved[prefix]:
        continue  # the same as the area code (or a shorter prefix) says
    print("%s %s" % (prefix, resolved[prefix]))
