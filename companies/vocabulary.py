"""The controlled vocabulary of company profiles (pure data, no Django).

Codes are stable identifiers stored in the database, used in import files and read by the
matching engine. Every label is an (English, Japanese) pair; companies.labels picks the one of
the active language. Documented in docs/vocabulary.md.
"""

EU_COUNTRIES: dict[str, tuple[str, str]] = {
    "AT": ("Austria", "オーストリア"), "BE": ("Belgium", "ベルギー"), "BG": ("Bulgaria", "ブルガリア"),
    "HR": ("Croatia", "クロアチア"), "CY": ("Cyprus", "キプロス"), "CZ": ("Czechia", "チェコ"),
    "DK": ("Denmark", "デンマーク"), "EE": ("Estonia", "エストニア"), "FI": ("Finland", "フィンランド"),
    "FR": ("France", "フランス"), "DE": ("Germany", "ドイツ"), "GR": ("Greece", "ギリシャ"),
    "HU": ("Hungary", "ハンガリー"), "IE": ("Ireland", "アイルランド"), "IT": ("Italy", "イタリア"),
    "LV": ("Latvia", "ラトビア"), "LT": ("Lithuania", "リトアニア"), "LU": ("Luxembourg", "ルクセンブルク"),
    "MT": ("Malta", "マルタ"), "NL": ("Netherlands", "オランダ"), "PL": ("Poland", "ポーランド"),
    "PT": ("Portugal", "ポルトガル"), "RO": ("Romania", "ルーマニア"), "SK": ("Slovakia", "スロバキア"),
    "SI": ("Slovenia", "スロベニア"), "ES": ("Spain", "スペイン"), "SE": ("Sweden", "スウェーデン"),
}  # fmt: skip
JAPAN = "JP"
MEMBER_COUNTRIES: dict[str, tuple[str, str]] = {**EU_COUNTRIES, JAPAN: ("Japan", "日本")}

# ISO 3166-1 alpha-2 codes, for the source countries of supply dependencies.
ISO_COUNTRY_CODES: frozenset[str] = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
    BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG
    EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR
    HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR
    LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG
    NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE
    SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA
    UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW""".split()  # noqa: SIM905 (249 quoted codes read worse)
)


def side_of(country: str) -> str:
    """'JP' for Japan, 'EU' for a member state."""
    return "JP" if country == JAPAN else "EU"


SECTORS: dict[str, tuple[str, str]] = {
    "critical_minerals": ("Critical minerals", "重要鉱物"),
    "batteries": ("Batteries", "蓄電池"),
    "biotech": ("Biotech", "バイオテクノロジー"),
}

# Value-chain stages, keyed "<sector>.<stage>".
STAGES: dict[str, tuple[str, str]] = {
    "critical_minerals.exploration_mining": ("Exploration and mining", "探鉱・採掘"),
    "critical_minerals.refining_processing": ("Refining and processing", "精錬・加工"),
    "critical_minerals.ree_separation": ("Rare-earth separation", "レアアース分離"),
    "critical_minerals.magnets_alloys": ("Magnets and alloys", "磁石・合金"),
    "critical_minerals.recycling": ("Recycling", "リサイクル"),
    "critical_minerals.trading_stockpiling": ("Trading and stockpiling", "商社・備蓄"),
    "batteries.cathode": ("Cathode materials", "正極材"),
    "batteries.anode": ("Anode materials", "負極材"),
    "batteries.electrolyte_separator": ("Electrolyte and separator", "電解液・セパレータ"),
    "batteries.cells": ("Cells", "セル"),
    "batteries.modules_packs": ("Modules and packs", "モジュール・パック"),
    "batteries.production_equipment": ("Production equipment", "製造装置"),
    "batteries.recycling": ("Battery recycling", "電池リサイクル"),
    "batteries.vehicles_storage": ("Vehicles and storage", "車両・蓄電システム"),
    "biotech.drug_discovery": ("Drug discovery", "創薬"),
    "biotech.clinical_development": ("Clinical development", "臨床開発"),
    "biotech.biologics_cdmo": ("Biologics manufacturing and CDMO", "バイオ医薬品製造・CDMO"),
    "biotech.diagnostics": ("Diagnostics", "診断薬"),
    "biotech.platform_tech": ("Platform technologies", "プラットフォーム技術"),
    "biotech.biobased_materials": ("Bio-based materials", "バイオ素材"),
}


def sector_of_stage(stage: str) -> str:
    return stage.split(".", 1)[0]


# Supplier stage -> the stages that buy from it (the value chains, including the loop
# vehicles -> recycling -> refining). Used for "upstream supplier / downstream buyer".
STAGE_FLOWS: dict[str, tuple[str, ...]] = {
    "critical_minerals.exploration_mining": (
        "critical_minerals.refining_processing", "critical_minerals.trading_stockpiling",
    ),
    "critical_minerals.refining_processing": (
        "critical_minerals.ree_separation", "critical_minerals.magnets_alloys",
        "critical_minerals.trading_stockpiling", "batteries.cathode", "batteries.anode",
        "batteries.electrolyte_separator",
    ),
    "critical_minerals.ree_separation": ("critical_minerals.magnets_alloys",),
    "critical_minerals.magnets_alloys": ("batteries.vehicles_storage",),
    "critical_minerals.recycling": ("critical_minerals.refining_processing", "critical_minerals.trading_stockpiling"),
    "critical_minerals.trading_stockpiling": (
        "critical_minerals.refining_processing", "batteries.cathode", "batteries.anode",
        "critical_minerals.magnets_alloys",
    ),
    "batteries.cathode": ("batteries.cells",),
    "batteries.anode": ("batteries.cells",),
    "batteries.electrolyte_separator": ("batteries.cells",),
    "batteries.production_equipment": ("batteries.cells", "batteries.modules_packs", "batteries.cathode"),
    # Cell plants sell their production scrap (electrode offcuts, rejected cells) to recyclers.
    "batteries.cells": ("batteries.modules_packs", "batteries.vehicles_storage", "batteries.recycling"),
    "batteries.modules_packs": ("batteries.vehicles_storage",),
    "batteries.vehicles_storage": ("batteries.recycling",),
    "batteries.recycling": ("critical_minerals.refining_processing", "batteries.cathode"),
    "biotech.platform_tech": ("biotech.drug_discovery", "biotech.clinical_development"),
    "biotech.drug_discovery": ("biotech.clinical_development",),
    "biotech.clinical_development": ("biotech.biologics_cdmo",),
    "biotech.diagnostics": ("biotech.clinical_development",),
    "biotech.biologics_cdmo": ("biotech.clinical_development",),
    "biotech.biobased_materials": ("batteries.electrolyte_separator", "biotech.biologics_cdmo"),
}  # fmt: skip

PARTNERSHIP_TYPES: dict[str, tuple[str, str]] = {
    "supply": ("Supply (we sell)", "供給"),
    "purchase": ("Purchase / offtake (we buy)", "購入・オフテイク"),
    "joint_venture": ("Joint venture", "合弁事業"),
    "rnd": ("R&D collaboration", "共同研究開発"),
    "licensing": ("Licensing and technology transfer", "ライセンス・技術移転"),
    "investment_sought": ("Investment sought", "出資先募集"),
    "investment_offered": ("Investment offered", "出資提供"),
    "distribution": ("Distribution", "販売代理"),
    "joint_procurement": ("Joint procurement and stockpiling", "共同調達・備蓄"),
}

# Pairs of partnership types that fit each other (symmetric).
COMPATIBLE_PARTNERSHIPS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        ("supply", "purchase"),
        ("investment_sought", "investment_offered"),
        ("licensing", "licensing"),
        ("joint_procurement", "joint_procurement"),
        ("joint_venture", "joint_venture"),
        ("rnd", "rnd"),
        ("distribution", "supply"),
    )
)

# The critical raw materials of the EU Critical Raw Materials Act (Regulation (EU) 2024/1252, Annex II).
MATERIALS: dict[str, tuple[str, str]] = {
    "aluminium": ("Aluminium / bauxite / alumina", "アルミニウム・ボーキサイト"),
    "antimony": ("Antimony", "アンチモン"),
    "arsenic": ("Arsenic", "ヒ素"),
    "baryte": ("Baryte", "重晶石"),
    "beryllium": ("Beryllium", "ベリリウム"),
    "bismuth": ("Bismuth", "ビスマス"),
    "boron": ("Boron / borate", "ホウ素"),
    "cobalt": ("Cobalt", "コバルト"),
    "coking_coal": ("Coking coal", "原料炭"),
    "copper": ("Copper", "銅"),
    "feldspar": ("Feldspar", "長石"),
    "fluorspar": ("Fluorspar", "蛍石"),
    "gallium": ("Gallium", "ガリウム"),
    "germanium": ("Germanium", "ゲルマニウム"),
    "hafnium": ("Hafnium", "ハフニウム"),
    "helium": ("Helium", "ヘリウム"),
    "hree": ("Heavy rare earth elements", "重希土類"),
    "lree": ("Light rare earth elements", "軽希土類"),
    "lithium": ("Lithium", "リチウム"),
    "magnesium": ("Magnesium", "マグネシウム"),
    "manganese": ("Manganese", "マンガン"),
    "graphite": ("Natural graphite", "天然黒鉛"),
    "nickel": ("Nickel (battery grade)", "ニッケル"),
    "niobium": ("Niobium", "ニオブ"),
    "phosphate_rock": ("Phosphate rock", "リン鉱石"),
    "phosphorus": ("Phosphorus", "リン"),
    "pgm": ("Platinum group metals", "白金族金属"),
    "scandium": ("Scandium", "スカンジウム"),
    "silicon_metal": ("Silicon metal", "金属ケイ素"),
    "strontium": ("Strontium", "ストロンチウム"),
    "tantalum": ("Tantalum", "タンタル"),
    "titanium": ("Titanium metal", "チタン"),
    "tungsten": ("Tungsten", "タングステン"),
    "vanadium": ("Vanadium", "バナジウム"),
}

SIZE_BANDS: dict[str, tuple[str, str]] = {
    # EU SME definition (Recommendation 2003/361/EC): staff headcount and turnover or balance sheet.
    "micro": ("Micro (<10 staff, ≤ €2m)", "零細"),
    "small": ("Small (<50 staff, ≤ €10m)", "小規模"),
    "medium": ("Medium (<250 staff, ≤ €50m)", "中規模"),
    "large": ("Large (250+ staff)", "大企業"),
}

LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("English", "英語"), "ja": ("Japanese", "日本語"), "de": ("German", "ドイツ語"),
    "fr": ("French", "フランス語"), "es": ("Spanish", "スペイン語"), "it": ("Italian", "イタリア語"),
    "nl": ("Dutch", "オランダ語"), "pl": ("Polish", "ポーランド語"), "pt": ("Portuguese", "ポルトガル語"),
    "sv": ("Swedish", "スウェーデン語"), "fi": ("Finnish", "フィンランド語"), "da": ("Danish", "デンマーク語"),
    "cs": ("Czech", "チェコ語"), "sk": ("Slovak", "スロバキア語"), "sl": ("Slovenian", "スロベニア語"),
    "hu": ("Hungarian", "ハンガリー語"), "ro": ("Romanian", "ルーマニア語"), "bg": ("Bulgarian", "ブルガリア語"),
    "el": ("Greek", "ギリシャ語"), "hr": ("Croatian", "クロアチア語"), "et": ("Estonian", "エストニア語"),
    "lv": ("Latvian", "ラトビア語"), "lt": ("Lithuanian", "リトアニア語"), "ga": ("Irish", "アイルランド語"),
    "mt": ("Maltese", "マルタ語"), "zh": ("Chinese", "中国語"), "ko": ("Korean", "韓国語"),
}  # fmt: skip
