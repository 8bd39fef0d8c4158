"""Personal data held outside the cases (payment-problem reports, ...): the apps that hold it register here, so
the privacy export and erase in tickets reach it without tickets importing those apps."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Holder:
    name: str
    export: Callable[[str], list[dict]]  # address -> records
    erase: Callable[[str], dict]  # address -> {"records": n, "files": n}


_holders: dict[str, Holder] = {}


def register(name: str, *, export, erase) -> None:
    _holders[name] = Holder(name, export, erase)


def export_all(address: str) -> dict[str, list[dict]]:
    return {name: holder.export(address) for name, holder in sorted(_holders.items())}


def erase_all(address: str) -> dict[str, dict]:
    return {name: holder.erase(address) for name, holder in sorted(_holders.items())}
