"""Parses an iCalendar file from stdin with the independent `icalendar` package and
prints its events as JSON, so the Rust tests can check what another parser reads."""
import json
import sys

from icalendar import Calendar


def when(value):
    return value.dt.astimezone().astimezone(tz=__import__("datetime").timezone.utc).isoformat()


events = []
for component in Calendar.from_ical(sys.stdin.buffer.read()).walk("VEVENT"):
    rdates = []
    raw = component.get("RDATE")
    for group in (raw if isinstance(raw, list) else [raw] if raw is not None else []):
        rdates.extend(when(d) for d in group.dts)
    events.append({
        "uid": str(component.get("UID")),
        "summary": str(component.get("SUMMARY")),
        "start": when(component.get("DTSTART")),
        "end": when(component.get("DTEND")),
        "rdates": rdates,
        "status": str(component.get("STATUS")),
        "recurrence_id": when(component.get("RECURRENCE-ID")) if component.get("RECURRENCE-ID") else None,
        "sequence": int(component.get("SEQUENCE", 0)),
        "start_is_utc": component.get("DTSTART").dt.tzinfo is not None
        and component.get("DTSTART").dt.utcoffset().total_seconds() == 0,
    })
json.dump(events, sys.stdout)
