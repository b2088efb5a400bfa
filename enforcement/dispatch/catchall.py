"""A local catch-all mail server for the demo: it accepts every message and keeps it as a file.

    python -m enforcement.dispatch.catchall --port 8025 --dir instance/mail

``./run.sh`` starts it and points the app at it, so a newcomer can open the mail that would have
gone out (instance/mail/*.eml). Never a server for real mail: it listens on the
loopback address only and delivers nothing.
"""

import argparse
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class KeepAsFiles:
    """An aiosmtpd handler that writes each message it accepts to ``directory``."""

    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope) -> str:
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        (self.directory / name).write_bytes(envelope.original_content or envelope.content)
        return f"250 2.0.0 Ok: kept as {name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8025, help="port on 127.0.0.1 (8025)")
    parser.add_argument("--dir", type=Path, default=Path("instance/mail"),
                        help="where messages are kept (instance/mail)")  # fmt: skip
    args = parser.parse_args()
    controller = Controller(KeepAsFiles(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"Catch-all mail server on 127.0.0.1:{args.port}, keeping messages in {args.dir}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        controller.stop()


if __name__ == "__main__":
    main()
