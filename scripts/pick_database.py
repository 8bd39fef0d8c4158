"""Print the DATABASE_URL the tests run against: the one set, else the local Postgres, else SQLite.

`make test` calls this; the choice is printed on stderr so the run says what it tested on."""

import os
import socket
import sys
from pathlib import Path

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/ebookit_support"


def postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def main() -> None:
    if os.environ.get("DATABASE_URL"):
        url, why = os.environ["DATABASE_URL"], "DATABASE_URL is set"
    elif postgres_answers():
        url, why = LOCAL_POSTGRES, "PostgreSQL answers on 127.0.0.1:5432"
    else:
        path = Path(__file__).resolve().parent.parent / "var" / "test.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        url, why = f"sqlite:///{path}", "no PostgreSQL answered on 127.0.0.1:5432"
    print(f"Tests run on {url.split('@')[-1]} ({why}).", file=sys.stderr)
    print(url)


if __name__ == "__main__":
    main()
