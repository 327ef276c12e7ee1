"""Synthetic firm profiles with known true partners, for benchmarks and demo data (pure Python).

``generate_profiles(count, seed)`` makes count // 2 deals; each deal is an EU firm and a Japanese
firm on adjacent value-chain stages whose offers and seeks complement each other (the supplier
offers what the buyer seeks, the buyer makes what the supplier wants to sell to) and whose
partnership types fit. Japanese firms write in Japanese (about 55%), English, or both.

Honest on purpose:
- partners share no marker token: names, cities, years and capacities are drawn per firm, and
  what links them is only the deal's vocabulary (material, form, chemistry, application, ...);
- every deal draws its attributes from small shared lists, so many distractors share the sector,
  the stage, the material and most of the vocabulary of the true partner;
- Japanese text is written as Japanese (kanji, katakana, particles), with the usual variants
  (黒鉛/グラファイト, レアアース/希土類, EV/電気自動車).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from companies.vocabulary import EU_COUNTRIES, SECTORS, STAGES, sector_of_stage

Text = tuple[str, str]  # (English, Japanese)

MATERIAL_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "nickel": ("nickel", ("ニッケル",)),
    "cobalt": ("cobalt", ("コバルト",)),
    "lithium": ("lithium", ("リチウム",)),
    "graphite": ("graphite", ("黒鉛", "グラファイト")),
    "manganese": ("manganese", ("マンガン",)),
    "copper": ("copper", ("銅",)),
    "lree": ("light rare earth", ("軽希土類", "軽レアアース")),
    "hree": ("heavy rare earth", ("重希土類", "重レアアース")),
    "tungsten": ("tungsten", ("タングステン",)),
    "vanadium": ("vanadium", ("バナジウム",)),
    "silicon_metal": ("silicon", ("シリコン", "ケイ素")),
    "fluorspar": ("fluorspar", ("蛍石",)),
    "pgm": ("platinum group metal", ("白金族金属",)),
}
SOURCES = {
    "nickel": ("ID", "PH"), "cobalt": ("CD",), "lithium": ("CL", "AU", "CN"), "graphite": ("CN",),
    "manganese": ("ZA", "CN"), "copper": ("CL", "PE"), "lree": ("CN",), "hree": ("CN", "MM"),
    "tungsten": ("CN",), "vanadium": ("CN", "RU"), "silicon_metal": ("CN",), "fluorspar": ("CN", "MX"),
    "pgm": ("ZA", "RU"),
}  # fmt: skip
FORMS: list[tuple[str, str, bool]] = [  # English, Japanese, Japanese goes before the material
    ("sulphate", "硫酸", True), ("hydroxide", "水酸化", True), ("carbonate", "炭酸", True),
    ("oxide", "酸化物", False), ("metal powder", "金属粉末", False),
]  # fmt: skip
GRADES: list[Text] = [("battery-grade", "電池グレードの"), ("high-purity", "高純度の")]
PROCESSES: list[Text] = [
    ("hydrometallurgy", "湿式製錬"), ("pyrometallurgy", "乾式製錬"), ("solvent extraction", "溶媒抽出"),
]  # fmt: skip
CHEMISTRIES: list[Text] = [
    ("NMC", "三元系"),
    ("LFP", "LFP"),
    ("high-nickel", "ハイニッケル"),
    ("sodium-ion", "ナトリウムイオン"),
]
ANODES: list[Text] = [
    ("synthetic graphite", "人造黒鉛"),
    ("natural spherical graphite", "天然球状黒鉛"),
    ("silicon composite", "シリコン複合"),
]
ELECTROLYTES: list[Text] = [
    ("liquid electrolyte", "電解液"),
    ("separator film", "セパレータ"),
    ("solid electrolyte", "固体電解質"),
]
APPLICATIONS: list[tuple[str, tuple[str, ...]]] = [
    ("electric vehicles", ("電気自動車", "EV")), ("stationary energy storage", ("定置用蓄電",)),
    ("electric buses and trucks", ("電動バス・トラック",)), ("consumer electronics", ("電子機器",)),
    ("wind turbines", ("風力発電機",)), ("aerospace", ("航空宇宙",)),
]  # fmt: skip
EQUIPMENT: list[Text] = [
    ("electrode coating and drying lines", "電極塗工・乾燥ライン"), ("cell assembly machines", "セル組立装置"),
    ("formation and testing equipment", "化成・検査装置"),
]  # fmt: skip
MODALITIES: list[Text] = [
    ("antibodies", "抗体"), ("mRNA", "mRNA"), ("cell therapy", "細胞治療"), ("gene therapy", "遺伝子治療"),
    ("peptides", "ペプチド"), ("small molecules", "低分子"), ("nucleic acid drugs", "核酸医薬"),
    ("antibody-drug conjugates", "抗体薬物複合体"),
]  # fmt: skip
AREAS: list[Text] = [
    ("oncology", "がん"), ("rare diseases", "希少疾患"), ("infectious diseases", "感染症"),
    ("neurology", "神経疾患"), ("immunology", "免疫疾患"),
]  # fmt: skip
PLATFORMS: list[Text] = [
    ("AI-driven design", "AI創薬設計"), ("genome editing", "ゲノム編集"),
    ("high-throughput screening", "ハイスループットスクリーニング"), ("iPS cell models", "iPS細胞モデル"),
]  # fmt: skip
BIOMATERIALS: list[Text] = [
    ("bio-based electrode binders", "バイオ由来の電極用バインダー"), ("polylactic acid resins", "ポリ乳酸樹脂"),
    ("fermentation-derived culture media", "発酵由来の培地"),
]  # fmt: skip

PARTNERSHIP_PHRASES: dict[str, Text] = {
    "supply": ("We want long-term supply contracts.", "長期の供給契約を希望します。"),
    "purchase": ("We want to secure long-term offtake.", "長期オフテイク契約での調達を希望します。"),
    "investment_sought": ("We are raising equity investment for expansion.", "事業拡大のための出資を募集しています。"),
    "investment_offered": ("We can take an equity stake in a partner.", "パートナー企業への出資を検討しています。"),
    "joint_venture": ("We are open to a joint venture.", "合弁事業の設立を検討しています。"),
    "licensing": (
        "We are interested in licensing and technology transfer.",
        "ライセンス契約と技術移転に関心があります。",
    ),
    "rnd": ("We look for joint R&D.", "共同研究開発のパートナーを探しています。"),
    "joint_procurement": ("We want to join joint procurement and stockpiling.", "共同調達・備蓄への参加を希望します。"),
}
PAIRS_SUPPLY = [("supply", "purchase")] * 3 + [
    ("investment_sought", "investment_offered"),
    ("joint_venture", "joint_venture"),
]
PAIRS_BIO = [("licensing", "licensing")] * 2 + [
    ("rnd", "rnd"),
    ("investment_sought", "investment_offered"),
    ("supply", "purchase"),
]

FILLERS: list[Text] = [
    ("We put quality and sustainability first.", "品質と持続可能性を重視しています。"),
    ("Our team has long experience of industrial projects.", "産業プロジェクトで豊富な経験を持つチームです。"),
    ("We export to customers across Asia and Europe.", "アジアと欧州の顧客に輸出しています。"),
    ("We are certified to ISO 9001 and ISO 14001.", "ISO 9001とISO 14001の認証を取得しています。"),
    ("We are a family-owned business.", "同族経営の企業です。"),
    ("We grew quickly over the past five years.", "過去5年間で急成長しました。"),
]
CITIES_EU = [
    "Lyon",
    "Turin",
    "Espoo",
    "Gdansk",
    "Porto",
    "Ghent",
    "Graz",
    "Brno",
    "Aarhus",
    "Bilbao",
    "Leipzig",
    "Uppsala",
]
CITIES_JP: list[Text] = [
    ("Osaka", "大阪"), ("Nagoya", "名古屋"), ("Kobe", "神戸"), ("Sendai", "仙台"), ("Kitakyushu", "北九州"),
    ("Hamamatsu", "浜松"), ("Kyoto", "京都"), ("Yokohama", "横浜"), ("Niihama", "新居浜"), ("Toyama", "富山"),
]  # fmt: skip
SYLLABLES_EN = ["ka", "lo", "ver", "nor", "tek", "mi", "sa", "ra", "den", "vik", "ul", "tor", "gen", "bel", "ion"]
SYLLABLES_JA = ["さくら", "みどり", "ひかり", "あさひ", "ほくと", "やまと", "つばさ", "かなで", "はるか", "いぶき"]


@dataclass(frozen=True)
class Deal:
    supplier_stage: str
    buyer_stage: str
    attrs: dict[str, Any]
    partnership: tuple[str, str]  # (supplier's type, buyer's type)


Pick = Callable[[list[Any]], Any]


def _ja(rng: random.Random, forms: tuple[str, ...]) -> str:
    return rng.choice(forms)


def _material(rng: random.Random, code: str) -> Text:
    english, japanese = MATERIAL_NAMES[code]
    return english, _ja(rng, japanese)


def _stage_product(rng: random.Random, stage: str, a: dict[str, Any]) -> Text:
    """What a firm at this stage makes, from the deal's attributes, in both languages."""
    m_en, m_ja = _material(rng, a["material"]) if a.get("material") else ("", "")
    app_en, app_ja = a["application"][0], _ja(rng, a["application"][1])
    form_en, form_ja, before = a["form"]
    formed_ja = f"{form_ja}{m_ja}" if before else f"{m_ja}{form_ja}"
    products: dict[str, Text] = {
        "critical_minerals.exploration_mining": (f"{m_en} ore concentrate", f"{m_ja}精鉱"),
        "critical_minerals.refining_processing": (
            f"{a['grade'][0]} {m_en} {form_en} refined by {a['process'][0]}",
            f"{a['process'][1]}で精錬した{a['grade'][1]}{formed_ja}",
        ),
        "critical_minerals.ree_separation": (f"separated {m_en} oxides", f"分離精製した{m_ja}酸化物"),
        "critical_minerals.magnets_alloys": (f"{m_en} permanent magnets for {app_en}", f"{app_ja}向けの{m_ja}永久磁石"),
        "critical_minerals.recycling": (f"recycled {m_en} recovered from scrap", f"スクラップから回収した再生{m_ja}"),
        "critical_minerals.trading_stockpiling": (
            f"{m_en} sourcing, trading and stockpiling",
            f"{m_ja}の調達・トレーディング・備蓄",
        ),
        "batteries.cathode": (
            f"{a['chemistry'][0]} cathode materials for {app_en}",
            f"{app_ja}向けの{a['chemistry'][1]}正極材",
        ),
        "batteries.anode": (f"{a['anode'][0]} anode materials", f"{a['anode'][1]}負極材"),
        "batteries.electrolyte_separator": (
            f"{a['electrolyte'][0]} for lithium-ion cells",
            f"リチウムイオン電池用の{a['electrolyte'][1]}",
        ),
        "batteries.cells": (
            f"{a['chemistry'][0]} battery cells for {app_en}",
            f"{app_ja}向けの{a['chemistry'][1]}電池セル",
        ),
        "batteries.modules_packs": (f"battery modules and packs for {app_en}", f"{app_ja}向けの電池モジュール・パック"),
        "batteries.production_equipment": a["equipment"],
        "batteries.vehicles_storage": (
            f"{app_en} with {a['chemistry'][0]} batteries",
            f"{a['chemistry'][1]}電池を搭載した{app_ja}",
        ),
        "batteries.recycling": (
            f"black mass and recovered {m_en} from spent batteries",
            f"使用済み電池から回収したブラックマスと{m_ja}",
        ),
        "biotech.platform_tech": (
            f"a {a['platform'][0]} platform for {a['modality'][0]}",
            f"{a['modality'][1]}向けの{a['platform'][1]}プラットフォーム",
        ),
        "biotech.drug_discovery": (
            f"preclinical {a['modality'][0]} candidates in {a['area'][0]}",
            f"{a['area'][1]}領域の前臨床{a['modality'][1]}候補",
        ),
        "biotech.clinical_development": (
            f"clinical trials of {a['modality'][0]} in {a['area'][0]}",
            f"{a['area'][1]}領域における{a['modality'][1]}の臨床試験",
        ),
        "biotech.biologics_cdmo": (
            f"GMP contract manufacturing of {a['modality'][0]}",
            f"{a['modality'][1]}のGMP受託製造",
        ),
        "biotech.diagnostics": (f"companion diagnostics for {a['area'][0]}", f"{a['area'][1]}向けのコンパニオン診断"),
        "biotech.biobased_materials": a["biomaterial"],
    }
    return products[stage]


# (supplier stage, buyer stage, materials the deal may be about; empty: none)
FLOWS: list[tuple[str, str, tuple[str, ...]]] = [
    ("critical_minerals.exploration_mining", "critical_minerals.refining_processing",
     ("nickel", "cobalt", "lithium", "graphite", "manganese", "copper", "tungsten", "vanadium")),
    ("critical_minerals.refining_processing", "batteries.cathode", ("nickel", "cobalt", "lithium", "manganese")),
    ("critical_minerals.refining_processing", "batteries.anode", ("graphite", "silicon_metal")),
    ("critical_minerals.refining_processing", "batteries.electrolyte_separator", ("lithium", "fluorspar")),
    ("critical_minerals.ree_separation", "critical_minerals.magnets_alloys", ("lree", "hree")),
    ("critical_minerals.magnets_alloys", "batteries.vehicles_storage", ("lree", "hree")),
    ("critical_minerals.recycling", "critical_minerals.refining_processing", ("nickel", "cobalt", "copper", "pgm")),
    ("critical_minerals.trading_stockpiling", "batteries.cathode", ("nickel", "cobalt", "lithium", "manganese")),
    ("batteries.cathode", "batteries.cells", ("nickel", "lithium", "manganese", "cobalt")),
    ("batteries.anode", "batteries.cells", ("graphite", "silicon_metal")),
    ("batteries.electrolyte_separator", "batteries.cells", ("lithium",)),
    ("batteries.production_equipment", "batteries.cells", ()),
    ("batteries.cells", "batteries.modules_packs", ("lithium",)),
    ("batteries.modules_packs", "batteries.vehicles_storage", ("lithium",)),
    ("batteries.vehicles_storage", "batteries.recycling", ("lithium", "cobalt", "nickel")),
    ("batteries.recycling", "critical_minerals.refining_processing", ("lithium", "cobalt", "nickel")),
    ("biotech.platform_tech", "biotech.drug_discovery", ()),
    ("biotech.drug_discovery", "biotech.clinical_development", ()),
    ("biotech.clinical_development", "biotech.biologics_cdmo", ()),
    ("biotech.diagnostics", "biotech.clinical_development", ()),
    ("biotech.biologics_cdmo", "biotech.clinical_development", ()),
    ("biotech.biobased_materials", "batteries.electrolyte_separator", ()),
]  # fmt: skip


def _deal(rng: random.Random) -> Deal:
    supplier, buyer, materials = rng.choice(FLOWS)
    attrs: dict[str, Any] = {
        "material": rng.choice(materials) if materials else None,
        "form": rng.choice(FORMS), "grade": rng.choice(GRADES), "process": rng.choice(PROCESSES),
        "chemistry": rng.choice(CHEMISTRIES), "anode": rng.choice(ANODES), "electrolyte": rng.choice(ELECTROLYTES),
        "application": rng.choice(APPLICATIONS), "equipment": rng.choice(EQUIPMENT),
        "modality": rng.choice(MODALITIES), "area": rng.choice(AREAS), "platform": rng.choice(PLATFORMS),
        "biomaterial": rng.choice(BIOMATERIALS),
    }  # fmt: skip
    pairs = PAIRS_BIO if supplier.startswith("biotech") else PAIRS_SUPPLY
    return Deal(supplier, buyer, attrs, rng.choice(pairs))


def _name(rng: random.Random, japanese: bool) -> Text:
    stem = "".join(rng.choice(SYLLABLES_EN) for _ in range(rng.randint(2, 3))).capitalize()
    suffix = rng.choice(["GmbH", "SA", "Oy", "AB", "BV", "SpA", "S.L."])
    if japanese:
        ja = rng.choice(SYLLABLES_JA) + rng.choice(
            ["マテリアル", "工業", "化学", "テクノロジーズ", "製薬", "バイオ", "商事"]
        )
        return f"{stem} Co., Ltd.", f"株式会社{ja}"
    return f"{stem} {suffix}", f"{stem} {suffix}"


def _texts(rng: random.Random, deal: Deal, role: str, japan: bool) -> dict[str, Any]:
    """Description, offer, seek, name and city (English, Japanese) of one side of a deal, and its year."""
    own = deal.supplier_stage if role == "supplier" else deal.buyer_stage
    other = deal.buyer_stage if role == "supplier" else deal.supplier_stage
    mine_en, mine_ja = _stage_product(rng, own, deal.attrs)
    theirs_en, theirs_ja = _stage_product(rng, other, deal.attrs)
    ptype = deal.partnership[0 if role == "supplier" else 1]
    phrase_en, phrase_ja = PARTNERSHIP_PHRASES[ptype]
    if role == "supplier":
        seek = (
            f"We seek buyers that make {theirs_en}. {phrase_en}",
            f"{theirs_ja}を手がける買い手企業を探しています。{phrase_ja}",
        )
    else:
        seek = (f"We seek a supplier of {theirs_en}. {phrase_en}", f"{theirs_ja}の供給元を探しています。{phrase_ja}")
    tonnes = rng.choice([500, 2000, 5000, 20000])
    offer = (
        f"We offer {mine_en}, about {tonnes} units a year.",
        f"当社は{mine_ja}を提供しています（年間約{tonnes}単位）。",
    )
    name_en, name_ja = _name(rng, japan)
    city_en, city_ja = rng.choice(CITIES_JP) if japan else (rng.choice(CITIES_EU),) * 2
    year = rng.randint(1950, 2022)
    stage_en, stage_ja = STAGES[own]
    sector_en, sector_ja = SECTORS[sector_of_stage(own)]
    filler = rng.choice(FILLERS)
    description = (
        f"{name_en}, founded in {year} in {city_en}, is a {sector_en.lower()} company working in "
        f"{stage_en.lower()}. {filler[0]}",
        f"{name_ja}は{year}年に{city_ja}で設立された{sector_ja}分野の企業で、{stage_ja}を手がけています。{filler[1]}",
    )
    return {
        "description": description, "offer": offer, "seek": seek, "name": (name_en, name_ja),
        "city": (city_en, city_ja), "year": year,
    }  # fmt: skip


def _language(rng: random.Random, japan: bool) -> str:
    if not japan:
        return "en"
    return rng.choices(["ja", "en", "en_ja"], weights=[55, 30, 15])[0]


def _pick(text: Text, language: str) -> str:
    return {"en": text[0], "ja": text[1], "en_ja": f"{text[0]}\n{text[1]}"}[language]


def _firm(rng: random.Random, firm_id: int, deal: Deal, role: str, japan: bool) -> dict[str, Any]:
    language = _language(rng, japan)
    texts = _texts(rng, deal, role, japan)
    stage = deal.supplier_stage if role == "supplier" else deal.buyer_stage
    stages = [stage]
    if rng.random() < 0.2:  # some firms work at a second stage of their sector
        stages.append(rng.choice([s for s in STAGES if sector_of_stage(s) == sector_of_stage(stage) and s != stage]))
    material = deal.attrs["material"]
    types = [deal.partnership[0 if role == "supplier" else 1]]
    if rng.random() < 0.3:
        types.append(rng.choice(["rnd", "joint_venture", "licensing", "distribution"]))
    dependencies = []
    if material and role == "buyer" and rng.random() < 0.7:
        dependencies.append(
            {
                "material": material,
                "source_country": rng.choice(SOURCES[material]),
                "share_percent": float(rng.randint(55, 95)),
            }
        )
    m_label = MATERIAL_NAMES[material] if material else None
    keywords_en = [STAGES[stage][0].lower()] + ([m_label[0]] if m_label else [])
    keywords_ja = [STAGES[stage][1]] + ([m_label[1][0]] if m_label else [])
    keywords = {"en": keywords_en, "ja": keywords_ja, "en_ja": keywords_en + keywords_ja}[language]
    country = "JP" if japan else rng.choice(sorted(EU_COUNTRIES))
    return {
        "id": firm_id,
        "name": texts["name"][1] if language == "ja" else texts["name"][0],
        "name_en": texts["name"][0],
        "name_ja": texts["name"][1] if japan else "",
        "city": texts["city"][0],
        "year_founded": texts["year"],
        "side": "JP" if japan else "EU",
        "country": country,
        "sectors": sorted({sector_of_stage(s) for s in stages}),
        "stages": stages,
        "partnership_types": types,
        "materials": [material] if material else [],
        "supply_dependencies": dependencies,
        "description": _pick(texts["description"], language),
        "offer": _pick(texts["offer"], language),
        "seek": _pick(texts["seek"], language),
        "keywords": keywords,
        "language": language,
        "true_partner_id": None,
    }


def generate_profiles(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """count firms (half EU, half JP; ids 1..count, shuffled between sides), deterministic for a seed.

    Each dict has the Profile fields plus "name" and "true_partner_id" (None for the odd one out).
    """
    rng = random.Random(seed)
    ids = list(range(1, count + 1))
    rng.shuffle(ids)
    firms: list[dict[str, Any]] = []
    for pair in range(count // 2):
        deal = _deal(rng)
        eu_role = rng.choice(["supplier", "buyer"])
        jp_role = "buyer" if eu_role == "supplier" else "supplier"
        eu = _firm(rng, ids[2 * pair], deal, eu_role, japan=False)
        jp = _firm(rng, ids[2 * pair + 1], deal, jp_role, japan=True)
        eu["true_partner_id"], jp["true_partner_id"] = jp["id"], eu["id"]
        firms += [eu, jp]
    if count % 2:
        firms.append(_firm(rng, ids[-1], _deal(rng), "supplier", japan=False))
    return sorted(firms, key=lambda f: f["id"])


SIZE_BANDS = ("micro", "small", "medium", "large")


def import_rows(profiles: list[dict[str, Any]], seed: int = 0) -> list[dict[str, Any]]:
    """Turn generated profiles into rows of the company import format (docs/import-format.md).

    `ref` is "gen-<seed>-<id>", so generating again with the same seed updates the same companies.
    """
    rows = []
    for p in profiles:
        slug = "".join(ch for ch in p["name_en"].lower() if ch.isalnum())[:30] or f"firm{p['id']}"
        rows.append({
            "ref": f"gen-{seed}-{p['id']}", "name": p["name_en"], "name_ja": p["name_ja"],
            "country": p["country"], "city": p["city"], "website": f"https://{slug}.example",
            "size_band": SIZE_BANDS[p["id"] % len(SIZE_BANDS)], "year_founded": p["year_founded"],
            "sectors": p["sectors"], "stages": p["stages"], "partnership_types": p["partnership_types"],
            "materials": p["materials"], "languages": ["en", "ja"] if p["side"] == "JP" else ["en"],
            "description": p["description"], "offer": p["offer"], "seek": p["seek"],
            "keywords": ", ".join(p["keywords"]), "text_language": p["language"],
            "dependencies": [{**d, "share_percent": int(d["share_percent"])} for d in p["supply_dependencies"]],
            "contacts": [],
        })  # fmt: skip
    return rows
