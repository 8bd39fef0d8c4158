import uuid
from datetime import timedelta

from django.utils import timezone


def valid_data(**overrides) -> dict:
    data = {
        "name": "Anna Meier",
        "email": "anna@example.ch",
        "phone": "+41 79 123 45 67",
        "ebook_titles": "Der Besuch der alten Dame, Homo faber",
        "order_number": "EBK-778812",
        "amount_chf": "19.90",
        "payment_method": "twint",
        "occurred_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "occurred_time": "14:30",
        "completed": "unknown",
        "description": "Die TWINT-App zeigte «Zahlung erfolgreich»,\naber der Download startete nicht.",
        "submission_key": str(uuid.uuid4()),
        "website": "",
    }
    data.update(overrides)
    return data
