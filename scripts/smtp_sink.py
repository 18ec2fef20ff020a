#!/usr/bin/env python3
"""A real SMTP server for MEDK's mail tests (aiosmtpd), on a free local port.

Every accepted message is written to --dir as NNNN.eml (the bytes as received) with NNNN.json
beside it (envelope sender and recipients, whether the session was under TLS, who logged in).
Prints «PORT <n>» on stdout once it listens, then serves until SIGTERM or until its standard
input closes (the test that started it has gone).

  --tls-cert/--tls-key   offer STARTTLS with this certificate (--require-tls: refuse mail without it)
  --login user:password  offer AUTH PLAIN/LOGIN and require it
  --reject ADDRESS       answer 550 to RCPT TO of this address (permanent failure)
  --defer N              answer 451 to the first N DATA commands (temporary failure)
  --slow-data SECONDS    hold each DATA this long before answering, with NNNN.receiving written
                         meanwhile (a message in flight, for the tests of a stopping server)
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, rejects, defer, slow_data=0.0):
        self.directory = directory
        self.rejects = {address.lower() for address in rejects}
        self.defer = defer
        self.slow_data = slow_data
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejects:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.defer > 0:
            self.defer -= 1
            return "451 4.3.0 Try again later"
        self.count += 1
        stem = os.path.join(self.directory, f"{self.count:04d}")
        if self.slow_data > 0:
            open(stem + ".receiving", "w").close()
            await asyncio.sleep(self.slow_data)
        with open(stem + ".eml.part", "wb") as handle:
            handle.write(envelope.original_content)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        # Python's own mail parser reads the message, so the tests check MEDK's encoding against
        # an independent decoder, as a mail client would.
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        with open(stem + ".json", "w") as handle:
            json.dump({"envelopeFrom": envelope.mail_from, "envelopeTo": envelope.rcpt_tos,
                       "tls": session.ssl is not None, "login": login,
                       "headers": {name: str(value) for name, value in message.items()},
                       "text": body.get_content().replace("\r\n", "\n") if body is not None else None}, handle, ensure_ascii=False)
        # The .eml appears whole or not at all, so a test polling the directory never reads half of one.
        os.rename(stem + ".eml.part", stem + ".eml")
        return "250 2.0.0 Accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--require-tls", action="store_true")
    parser.add_argument("--login")
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--defer", type=int, default=0)
    parser.add_argument("--slow-data", type=float, default=0.0)
    options = parser.parse_args()
    os.makedirs(options.dir, exist_ok=True)

    tls_context = None
    if options.tls_cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(options.tls_cert, options.tls_key)

    expected = None
    if options.login:
        user, _, password = options.login.partition(":")
        expected = (user.encode(), password.encode())

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == expected
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    handler = Sink(options.dir, options.reject, options.defer, options.slow_data)

    def factory():
        return SMTP(handler, hostname="medk-test-sink", tls_context=tls_context,
                    require_starttls=options.require_tls,
                    authenticator=authenticator if expected else None,
                    auth_required=expected is not None,
                    auth_require_tls=tls_context is not None)

    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(factory, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        print(f"PORT {port}", flush=True)
        stopped = loop.create_future()
        loop.add_signal_handler(signal.SIGTERM, lambda: stopped.done() or stopped.set_result(None))
        loop.add_reader(sys.stdin.fileno(), lambda: os.read(sys.stdin.fileno(), 4096) or stopped.done() or stopped.set_result(None))
        await stopped
        # Exit at once: waiting for connections to close would wait forever for a client that
        # gave up in the middle of a TLS handshake.
        server.close()
        os._exit(0)

    # A parent that blocks signals (a test runner's threads may) passes its mask on: undo it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    asyncio.run(serve())


if __name__ == "__main__":
    main()
