"""A slow mail "provider" for the worker-kill fault run: one file per message (so duplicates can be counted),
and a delay per message so that a SIGKILL lands while a mail is being sent.

    EMAIL_BACKEND=tests.faults.slow_mail.EmailBackend
    EMAIL_FILE_PATH=<folder>           one `<time>-<pid>.log` per accepted message (as Django's file backend)
    FAULT_MAIL_DELAY=2                 seconds each message takes
    FAULT_MAIL_ACCEPT=before|after     when the provider has the message: before the delay (accepted, then a
                                       slow answer) or after it (a slow upload, accepted at the end)
    FAULT_MAIL_INFLIGHT_DIR=<folder>   a marker file per send, named `<pid>-<time>`, holding the Message-ID,
                                       written when the send starts: the test kills the process it names
    FAULT_MAIL_KILL_TO=<address>       a message to this address kills the sending process (SIGKILL) before the
                                       provider has it: a "poison" mail, as one the OOM killer stops every time
"""

import os
import signal
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        inflight = Path(os.environ.get("FAULT_MAIL_INFLIGHT_DIR", folder / "inflight"))
        inflight.mkdir(parents=True, exist_ok=True)
        delay = float(os.environ.get("FAULT_MAIL_DELAY", "2"))
        accept_first = os.environ.get("FAULT_MAIL_ACCEPT", "after") == "before"
        poison = os.environ.get("FAULT_MAIL_KILL_TO", "")
        sent = 0
        for message in email_messages:
            data = message.message().as_bytes()
            stamp = f"{os.getpid()}-{time.time_ns()}"
            (inflight / stamp).write_text(str(message.extra_headers.get("Message-ID", "")))
            if poison and poison in message.to:
                os.kill(os.getpid(), signal.SIGKILL)
            if accept_first:
                self._accept(folder, stamp, data)
            time.sleep(delay)
            if not accept_first:
                self._accept(folder, stamp, data)
            sent += 1
        return sent

    @staticmethod
    def _accept(folder: Path, stamp: str, data: bytes) -> None:
        part = folder / f".{stamp}.part"
        part.write_bytes(data)
        part.rename(folder / f"{stamp}.log")  # whole or not at all: a kill never leaves half a mail counted
