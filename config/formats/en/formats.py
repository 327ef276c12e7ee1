# Names and their use: config/formats/__init__.py. Syntax: https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date
DAY_FORMAT = "l j F Y"  # Monday 6 October 2025
SHORT_DAY_FORMAT = "D j M Y"  # Mon 6 Oct 2025
DAY_MONTH_FORMAT = "D j M"  # Mon 6 Oct
DAY_MONTH_TIME_FORMAT = "D j M H:i"  # Mon 6 Oct 09:00
