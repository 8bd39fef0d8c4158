"""Fixtures of the fault runs (`make fault`): a private Redis, a private Postgres cluster, and a report of the
figures each run measured, printed at the end of the session (docs/faults.md quotes them)."""

import pytest

from . import postgres

_REPORT: list[tuple[str, str]] = []


@pytest.fixture
def fault_report(request):
    """`fault_report("text")` adds one line under the test's name to the summary at the end of the run."""
    def add(line: str) -> None:
        _REPORT.append((request.node.name, line))
    return add


def pytest_terminal_summary(terminalreporter):
    if not _REPORT:
        return
    terminalreporter.section("fault runs: what was measured")
    name = None
    for test, line in _REPORT:
        if test != name:
            terminalreporter.write_line(test)
            name = test
        terminalreporter.write_line(f"    {line}")


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.RATELIMIT_ENABLED = False  # a burst of submits from one address is the point here


@pytest.fixture
def private_postgres():
    if not postgres.available():
        pytest.skip(f"needs PostgreSQL 15 binaries ({postgres.PG_BIN})")
    cluster = postgres.PrivatePostgres()
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()
