# Names and their use: config/formats/__init__.py. Syntax: https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date
DAY_FORMAT = "l j F Y"  # Monday 6 October 2025
SHORT_DAY_FORMAT = "D j M Y"  # Mon 6 Oct 2025
DAY_MONTH_FORMAT = "D j M"  # Mon 6 Oct
DAY_MONTH_TIME_FORMAT = "D j M H:i"  # Mon 6 Oct 09:00

# Django's named formats, one style on every page: 3 Dec 2026, 20:37 (not "Dec. 3, 2026", "8:37 p.m.").
DATE_FORMAT = "j M Y"  # 3 Dec 2026
SHORT_DATE_FORMAT = "j M Y"  # the review queue and tables say the same (not 12/03/2026)
TIME_FORMAT = "H:i"  # 20:37
DATETIME_FORMAT = "j M Y, H:i"  # 3 Dec 2026, 20:37
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"  # 3 December
YEAR_MONTH_FORMAT = "F Y"  # December 2026
