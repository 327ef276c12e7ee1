"""The longest text each field of a profile takes, in characters: one table for every door.

The model (max_length, or a CheckConstraint on a TextField), the profile form (the count shown
while typing, static/js/char-count.js), the API serializers (maxLength in the schema) and the
import (companies.validation.profile_clean) all read their limits here, so a text too long gets
the same field error everywhere and never reaches the database. See docs/import-format.md.
"""

COMPANY: dict[str, int] = {
    "ref": 64,
    "name": 200,
    "name_ja": 200,
    "region": 100,
    "city": 100,
    "website": 200,
    "keywords": 500,
    "description": 2000,
    "offer": 1000,
    "seek": 1000,
    "rejection_reason": 2000,
}
# The free texts stored in TextFields: the database checks them with a constraint.
COMPANY_TEXTS = ("description", "offer", "seek", "rejection_reason")
CONTACT: dict[str, int] = {"name": 200, "role": 200, "email": 254, "phone": 40}
