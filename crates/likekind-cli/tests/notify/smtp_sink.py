"""A real SMTP server for the notification tests (Debian's python3-aiosmtpd).

Usage: smtp_sink.py DIR DELAY_MS
Listens on 127.0.0.1 on a free port, prints "PORT <n>" once ready, and writes every message
it receives to DIR as <sequence>.eml (written to a temporary name, then renamed), after
waiting DELAY_MS (so a test can kill the sender while a message is in flight).
"""
import asyncio
import itertools
import os
import sys
import time

from aiosmtpd.controller import Controller

out, delay = sys.argv[1], int(sys.argv[2]) / 1000.0
seq = itertools.count(1)


class Sink:
    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(delay)
        n = next(seq)
        tmp = os.path.join(out, f".{n}.tmp")
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(out, f"{n:06d}.eml"))
        return "250 OK"


import socket

s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
c = Controller(Sink(), hostname="127.0.0.1", port=port)
c.start()
print(f"PORT {port}", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    c.stop()
