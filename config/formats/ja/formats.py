# Names and their use: config/formats/__init__.py. "D" is the weekday's one-character name (月).
DAY_FORMAT = "Y年n月j日(D)"  # 2025年10月6日(月)
SHORT_DAY_FORMAT = "Y年n月j日(D)"
DAY_MONTH_FORMAT = "n月j日(D)"  # 10月6日(月)
DAY_MONTH_TIME_FORMAT = "n月j日(D) H:i"  # 10月6日(月) 09:00

# Django's named formats, one style on every page: 2026年12月3日, 20:37.
DATE_FORMAT = "Y年n月j日"  # 2026年12月3日
SHORT_DATE_FORMAT = "Y年n月j日"  # not 2026/12/03
TIME_FORMAT = "H:i"  # 20:37 (Django's ja default "G:i" drops the leading zero)
DATETIME_FORMAT = "Y年n月j日 H:i"  # 2026年12月3日 20:37
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
