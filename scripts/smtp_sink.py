#!/usr/bin/env python3
"""A real SMTP server on loopback for tests (Debian's python3-aiosmtpd).

Each message that arrives is parsed with Python's e-mail package and written to
FOLDER as one JSON file: envelope, headers, and the decoded text and HTML parts.
`--fail-first N` answers the first N messages with a temporary failure (451), so
tests can watch retries.

    python3 scripts/smtp_sink.py --port 2525 --folder /tmp/mail
"""

import argparse
import email
import json
import os
import signal
import threading
import time
from email import policy

from aiosmtpd.controller import Controller


def lines(part):
    """A decoded part with plain newlines (SMTP carries CRLF), or None."""
    return part.get_content().replace("\r\n", "\n") if part is not None else None


class Sink:
    def __init__(self, folder, fail_first):
        self.folder = folder
        self.fail_left = fail_first
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.fail_left > 0:
            self.fail_left -= 1
            return "451 Try again later"
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=policy.default)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {name: str(value) for name, value in message.items()},
            "text": lines(text),
            "html": lines(html),
        }
        self.count += 1
        name = f"{time.time_ns()}-{self.count:05d}.json"
        # Written whole under a name readers skip, then renamed: a reader never sees half.
        partial = os.path.join(self.folder, f".{name}.partial")
        with open(partial, "w", encoding="utf-8") as out:
            json.dump(record, out)
        os.rename(partial, os.path.join(self.folder, name))
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--folder", required=True)
    parser.add_argument("--fail-first", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    controller = Controller(Sink(args.folder, args.fail_first), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"smtp sink on 127.0.0.1:{args.port} writing to {args.folder}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
