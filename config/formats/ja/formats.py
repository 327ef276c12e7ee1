# Names and their use: config/formats/__init__.py. "D" is the weekday's one-character name (月).
DAY_FORMAT = "Y年n月j日(D)"  # 2025年10月6日(月)
SHORT_DAY_FORMAT = "Y年n月j日(D)"
DAY_MONTH_FORMAT = "n月j日(D)"  # 10月6日(月)
DAY_MONTH_TIME_FORMAT = "n月j日(D) H:i"  # 10月6日(月) 09:00
