"""A real SMTP server for the notification tests (Debian's python3-aiosmtpd).

Usage: smtp_sink.py DIR DELAY_MS [plain | starttls CERT KEY | smtps CERT KEY]
Listens on 127.0.0.1 on a free port, prints "PORT <n>" once ready, and writes every message
it receives to DIR as <sequence>.eml (written to a temporary name, then renamed), after
waiting DELAY_MS (so a test can kill the sender while a message is in flight). Each stored
message starts with an "X-Sink-TLS: yes" or "X-Sink-TLS: no" line: whether it came over TLS.

- plain: no TLS (the default).
- starttls: STARTTLS with the certificate CERT and key KEY (PEM), required before MAIL.
- smtps: TLS from the first byte (implicit TLS, as on port 465).
"""
import asyncio
import itertools
import logging
import os
import socket
import ssl
import sys
import time

from aiosmtpd.controller import Controller

out, delay = sys.argv[1], int(sys.argv[2]) / 1000.0
mode = sys.argv[3] if len(sys.argv) > 3 else "plain"
seq = itertools.count(1)


class Sink:
    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(delay)
        n = next(seq)
        tmp = os.path.join(out, f".{n}.tmp")
        # STARTTLS sets session.ssl; TLS from the start shows on the transport.
        over_tls = session.ssl is not None or (
            server.transport is not None
            and server.transport.get_extra_info("ssl_object") is not None
        )
        tls = b"yes" if over_tls else b"no"
        with open(tmp, "wb") as f:
            f.write(b"X-Sink-TLS: " + tls + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(out, f"{n:06d}.eml"))
        return "250 OK"


s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
if mode == "plain":
    c = Controller(Sink(), hostname="127.0.0.1", port=port)
else:
    # A client refusing the certificate (as a test wants) is no news: no tracebacks.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(sys.argv[4], sys.argv[5])
    if mode == "starttls":
        c = Controller(
            Sink(),
            hostname="127.0.0.1",
            port=port,
            tls_context=ctx,
            require_starttls=True,
        )
    elif mode == "smtps":
        c = Controller(Sink(), hostname="127.0.0.1", port=port, ssl_context=ctx)
    else:
        sys.exit(f"unknown mode {mode}")
c.start()
print(f"PORT {port}", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    c.stop()
