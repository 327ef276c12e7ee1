"""POST bodies for the profile form (fields plus the dependency and contact row formsets)."""


def rows(prefix: str, items: list[dict], *, extra: int = 0, initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items) + extra),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        data.update({f"{prefix}-{index}-{key}": value for key, value in item.items()})
    return data


def profile_post(*, dependencies: list[dict] | None = None, contacts: list[dict] | None = None, **fields) -> dict:
    """A valid profile for a Finnish anode maker; keyword arguments replace fields."""
    data = {
        "name": "Gamma Anode Oy",
        "name_ja": "",
        "country": "FI",
        "region": "Uusimaa",
        "city": "Espoo",
        "website": "https://gamma.example",
        "size_band": "small",
        "year_founded": "2012",
        "sectors": ["batteries"],
        "stages": ["batteries.anode"],
        "partnership_types": ["supply", "rnd"],
        "materials": ["graphite"],
        "languages": ["en", "fi"],
        "description": "We make synthetic graphite anode material.",
        "offer": "Anode material for cell makers.",
        "seek": "Japanese cell makers and precursor suppliers.",
        "keywords": "graphite, anode",
        "text_language": "",
    }
    data.update(fields)
    default_dependencies = [{"material": "graphite", "source_country": "cn", "share_percent": "70"}]
    default_contacts = [{"name": "Olli Virtanen", "role": "CEO", "email": "olli@gamma.example", "phone": "+358 9 1"}]
    data.update(rows("dep", default_dependencies if dependencies is None else dependencies, extra=1))
    data.update(rows("contact", default_contacts if contacts is None else contacts, extra=1))
    return data
