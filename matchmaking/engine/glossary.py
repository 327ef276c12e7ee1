"""Bilingual concept glossary: English and Japanese surface forms mapped to shared concept ids.

Text is matched against the glossary and each concept found becomes a token ("c:nickel"), so a
Japanese profile and an English one about the same thing share features although they share no
words. One line per concept: ``id | English label | Japanese label | English forms | Japanese forms``.

English forms are matched case-insensitively on word boundaries; a trailing ``*`` matches any word
ending (``refin*``: refine, refinery, refining); a space or hyphen inside a form matches either.
A line ending in a comma continues on the next.
Japanese forms are matched as substrings (Japanese has no spaces), except that a katakana form of
two characters or fewer must not touch other katakana (リン is not inside リサイクリング).
A few German and French forms ride along where they are cheap (Batterie, raffin*).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

_TABLE = """
aluminium | aluminium | アルミニウム | alumin*, bauxite | アルミ, ボーキサイト
antimony | antimony | アンチモン | antimon* | アンチモン
arsenic | arsenic | ヒ素 | arsenic | ヒ素, 砒素
baryte | baryte | 重晶石 | baryte, barite | 重晶石, バライト
beryllium | beryllium | ベリリウム | berylli* | ベリリウム
bismuth | bismuth | ビスマス | bismuth | ビスマス
boron | boron | ホウ素 | boron, borate*, boric | ホウ素, ホウ酸, ボロン
cobalt | cobalt | コバルト | cobalt | コバルト
coking_coal | coking coal | 原料炭 | coking coal, metallurgical coal, met coal | 原料炭, 粘結炭
copper | copper | 銅 | copper | 銅
feldspar | feldspar | 長石 | feldspar | 長石
fluorspar | fluorspar | 蛍石 | fluorspar, fluorite, acidspar, metspar | 蛍石
gallium | gallium | ガリウム | gallium | ガリウム
germanium | germanium | ゲルマニウム | germanium | ゲルマニウム
hafnium | hafnium | ハフニウム | hafnium | ハフニウム
helium | helium | ヘリウム | helium | ヘリウム
hree | heavy rare earths | 重希土類 | heavy rare earth* | 重希土類, 重レアアース
lree | light rare earths | 軽希土類 | light rare earth* | 軽希土類, 軽レアアース
rare_earth | rare earths | レアアース | rare earth*, ree, rees | レアアース, 希土類
neodymium | neodymium | ネオジム | neodymium, ndfeb | ネオジム, ネオジウム
dysprosium | dysprosium | ジスプロシウム | dysprosium | ジスプロシウム
terbium | terbium | テルビウム | terbium | テルビウム
praseodymium | praseodymium | プラセオジム | praseodymium | プラセオジム
lithium | lithium | リチウム | lithium, lithium-* | リチウム
magnesium | magnesium | マグネシウム | magnesium | マグネシウム
manganese | manganese | マンガン | manganese | マンガン
graphite | graphite | 黒鉛 | graphite, graphit* | 黒鉛, グラファイト
nickel | nickel | ニッケル | nickel | ニッケル
niobium | niobium | ニオブ | niobium | ニオブ
phosphate_rock | phosphate rock | リン鉱石 | phosphate rock, apatite, phosphorite | リン鉱石, 燐灰石, アパタイト
phosphorus | phosphorus | リン | phosphorus, phosphate*, phosphoric | リン, 燐
pgm | platinum group metals | 白金族金属 | platinum group metal*, pgm, pgms, platinum, palladium | 白金族, プラチナ,
    白金, パラジウム
scandium | scandium | スカンジウム | scandium | スカンジウム
silicon | silicon | ケイ素 | silicon | ケイ素, 珪素, シリコン
strontium | strontium | ストロンチウム | strontium | ストロンチウム
tantalum | tantalum | タンタル | tantalum | タンタル
titanium | titanium | チタン | titanium | チタン
tungsten | tungsten | タングステン | tungsten | タングステン
vanadium | vanadium | バナジウム | vanadium | バナジウム
iron | iron | 鉄 | iron | 鉄
sodium | sodium | ナトリウム | sodium | ナトリウム
zinc | zinc | 亜鉛 | zinc | 亜鉛
indium | indium | インジウム | indium | インジウム
sulphate | sulphate | 硫酸塩 | sulphate*, sulfate*, sulphuric, sulfuric | 硫酸
hydroxide | hydroxide | 水酸化物 | hydroxide* | 水酸化
carbonate | carbonate | 炭酸塩 | carbonate* | 炭酸
oxide | oxide | 酸化物 | oxide*, oxyde* | 酸化物
concentrate | concentrate | 精鉱 | concentrate* | 精鉱
ore | ore | 鉱石 | ore, ores | 鉱石
precursor | precursor | 前駆体 | precursor*, pcam | 前駆体
powder | powder | 粉末 | powder* | 粉末, パウダー
metal | metal | 金属 | metal, metals, metallic | 金属, メタル
alloy | alloy | 合金 | alloy*, legierung* | 合金
magnet | magnet | 磁石 | magnet* | 磁石, マグネット
permanent | permanent | 永久 | permanent | 永久
battery_grade | battery grade | 電池グレード | battery grade, battery-grade | 電池グレード, バッテリーグレード,
    電池用
high_purity | high purity | 高純度 | high purity, high-purity, ultra-pure | 高純度
black_mass | black mass | ブラックマス | black mass | ブラックマス
spherical | spherical | 球状 | spherical | 球状, 球形
synthetic | synthetic | 人造 | synthetic, artificial | 人造, 人工, 合成
natural | natural | 天然 | natural | 天然
scrap | scrap | スクラップ | scrap*, end-of-life, spent, offcut*, off-spec | スクラップ, 使用済み, 廃, 端材,
    規格外, 工程くず
exploration | exploration | 探鉱 | explor*, geophysic*, drilling | 探鉱, 探査, 物理探査, ボーリング, 試錐
mining | mining | 採掘 | mining, mine, mines, miner, miners | 採掘, 鉱山, 採鉱, 鉱業
refining | refining | 精錬 | refin*, smelt*, raffin* | 精錬, 製錬, 精製
processing | processing | 加工 | processing, processor*, converter* | 加工, 処理
separation | separation | 分離 | separat* | 分離
solvent_extraction | solvent extraction | 溶媒抽出 | solvent extraction | 溶媒抽出
hydrometallurgy | hydrometallurgy | 湿式製錬 | hydrometallurg* | 湿式
pyrometallurgy | pyrometallurgy | 乾式製錬 | pyrometallurg* | 乾式
dle | direct lithium extraction | 直接リチウム抽出 | direct lithium extraction, dle | 直接リチウム抽出, 直接抽出
brine | brine | かん水 | brine* | かん水, 塩湖
recycling | recycling | リサイクル | recycl*, recyclage | リサイクル, 再資源化, 再生利用, 再生
recovery | recovery | 回収 | recover* | 回収
trading | trading | 商社 | trading, trader*, trade house* | 商社, トレーディング, 貿易
stockpiling | stockpiling | 備蓄 | stockpil*, strategic reserve* | 備蓄
cathode | cathode materials | 正極材 | cathode*, positive electrode* | 正極, カソード
anode | anode materials | 負極材 | anode*, negative electrode* | 負極, アノード
electrolyte | electrolyte | 電解液 | electrolyte* | 電解液, 電解質
separator | separator | セパレータ | separator* | セパレータ, セパレーター
electrode | electrode | 電極 | electrode* | 電極
cell | cells | セル | cell, cells | セル
module | modules | モジュール | module* | モジュール
pack | packs | パック | pack, packs | パック
battery | batteries | 電池 | batter*, akku* | 電池, バッテリー
li_ion | lithium-ion | リチウムイオン | lithium-ion, li-ion, lithium ion | リチウムイオン
solid_state | solid-state | 全固体 | solid-state, solid state | 全固体, 固体電池
sodium_ion | sodium-ion | ナトリウムイオン | sodium-ion, sodium ion, na-ion | ナトリウムイオン
lfp | LFP | LFP | lfp, lithium iron phosphate | リン酸鉄
nmc | NMC | 三元系 | nmc, ncm, nca, ternary | 三元系
high_nickel | high-nickel | ハイニッケル | high-nickel, high nickel, nickel-rich | ハイニッケル, 高ニッケル
equipment | production equipment | 製造装置 | equipment, machinery, machine*, tool*, production line* | 装置, 設備,
    製造ライン, 機械
coating | coating | 塗工 | coating*, coater* | 塗工, コーティング
assembly | assembly | 組立 | assembl* | 組立, 組み立て
gigafactory | gigafactory | ギガファクトリー | gigafactor* | ギガファクトリー
ev | electric vehicles | 電気自動車 | electric vehicle*, ev, evs, e-mobility, electromobility | 電気自動車, EV
vehicle | vehicles | 車両 | vehicle*, automotive, car, cars, carmaker*, automaker*, oem, oems | 車両, 自動車,
    完成車, 車載
storage | energy storage | 蓄電 | energy storage, stationary storage, bess, storage system* | 蓄電, 定置用
grid | grid | 電力系統 | grid, grids, utility, utilities | 系統, グリッド, 電力会社
wind | wind power | 風力 | wind | 風力
motor | motors | モーター | motor, motors, drive unit*, traction | モーター, モータ
electronics | electronics | 電子機器 | electronics, electronic | 電子機器, 電子部品, エレクトロニクス
semiconductor | semiconductors | 半導体 | semiconductor*, chip, chips | 半導体
aerospace | aerospace | 航空宇宙 | aerospace, aircraft, aviation | 航空宇宙, 航空機, 航空
industrial | industrial | 産業用 | industrial | 産業用, 工業用
second_life | second life | 二次利用 | second-life, second life, second use, reuse, repurpos* | 二次利用, リユース,
    再利用, セカンドライフ
battery_passport | battery passport | バッテリーパスポート | battery passport*, digital product passport*,
    dpp | バッテリーパスポート, 電池パスポート
traceability | traceability | トレーサビリティ | traceab*, provenance, chain of custody, origin | トレーサビリティ,
    追跡, 産地
low_carbon | low carbon | 低炭素 | low-carbon, low carbon, carbon footprint, decarboni*, green, greenhouse gas*,
    ghg, co2 emission* | 低炭素,
    カーボンフットプリント,
    脱炭素, グリーン
responsible | responsible sourcing | 責任ある調達 | responsibl*, esg, irma, due diligence | 責任ある, ESG, IRMA,
    デューデリジェンス
certification | certification | 認証 | certif*, accredit* | 認証, 認定
quality | quality | 品質 | quality | 品質
supply | supply | 供給 | supply, supplies, supplier*, supplying, supplied | 供給, サプライヤー
offtake | offtake | オフテイク | offtake*, off-take*, take-or-pay | オフテイク, 引取
purchase | purchasing | 調達 | purchas*, procure*, procurement, sourcing, buyer*, buy, buying | 購入, 調達, 購買,
    買い手
long_term | long-term | 長期 | long-term, long term, multi-year | 長期
contract | contract | 契約 | contract, contracts, agreement* | 契約
volume | volumes | 数量 | volume*, tonne*, tons, tpa, capacity | 数量, トン, 生産能力, 規模
investment | investment | 出資 | invest*, equity, funding, capital, investor*, stake, stakes, earn-in,
    farm-in | 出資, 投資, 資金, 権益
joint_venture | joint venture | 合弁事業 | joint venture*, jv | 合弁
rnd | R&D | 研究開発 | r&d, research, co-develop*, joint development | 研究開発, 共同研究, 共同開発, 研究
licensing | licensing | ライセンス | licen*, lizenz* | ライセンス, 実施許諾
tech_transfer | technology transfer | 技術移転 | technology transfer, know-how | 技術移転, ノウハウ
distribution | distribution | 販売代理 | distribut*, reseller*, sales channel* | 販売代理, 代理店, 販売網, 販路
joint_procurement | joint procurement | 共同調達 | joint procurement, joint purchasing,
    pooled purchasing | 共同調達, 共同購入
partner | partnership | 提携 | partner* | パートナー, 提携, 協業
market_entry | market entry | 市場参入 | market entry, market access, expansion | 市場参入, 進出, 参入
pilot | pilot | 実証 | pilot*, demonstration | パイロット, 実証
scale_up | scale-up | スケールアップ | scale-up, scale up, scaling, mass production,
    volume production | スケールアップ, 量産
manufacturing | manufacturing | 製造 | manufactur*, production, produce, produces, producer*, maker*,
    fabricat* | 製造, 生産, メーカー
upstream | upstream | 上流 | upstream | 上流
downstream | downstream | 下流 | downstream | 下流
gmp | GMP | GMP | gmp, good manufacturing practice | GMP
regulatory | regulatory | 薬事 | regulat*, approval*, pmda, ema, fda | 規制, 規則, 薬事, 承認, PMDA, EMA, FDA
drug_discovery | drug discovery | 創薬 | drug discovery, discovery | 創薬
drug | drugs | 医薬品 | drug, drugs, pharmaceutical*, medicine*, therapeutic*, pharma | 医薬品, 薬, 製薬, 治療薬
candidate | drug candidates | 候補 | candidate*, pipeline*, asset, assets | 候補, パイプライン
clinical | clinical development | 臨床開発 | clinical, clinic*, trial, trials | 臨床, 治験
preclinical | preclinical | 前臨床 | preclinical, pre-clinical, non-clinical | 前臨床, 非臨床
cro | CRO | CRO | cro, cros, contract research | CRO, 受託研究, 受託試験
cdmo | CDMO | CDMO | cdmo, cdmos, cmo, cmos, contract manufactur*, contract development | CDMO, 受託製造, 受託開発
biologics | biologics | バイオ医薬品 | biologic*, biopharmaceutical*, biotherapeutic* | バイオ医薬品, 生物学的製剤,
    バイオ医薬
antibody | antibodies | 抗体 | antibod*, mab, mabs, monoclonal | 抗体
mrna | mRNA | mRNA | mrna, messenger rna | メッセンジャーRNA
cell_therapy | cell therapy | 細胞治療 | cell therap*, car-t | 細胞治療, 細胞療法
gene_therapy | gene therapy | 遺伝子治療 | gene therap*, aav, viral vector* | 遺伝子治療, ウイルスベクター
genome_editing | genome editing | ゲノム編集 | crispr, gene editing, genome editing | ゲノム編集, 遺伝子編集
vaccine | vaccines | ワクチン | vaccin* | ワクチン
diagnostics | diagnostics | 診断 | diagnos*, assay*, test kit* | 診断, 検査, アッセイ
companion_dx | companion diagnostics | コンパニオン診断 | companion diagnostic* | コンパニオン診断
biomarker | biomarkers | バイオマーカー | biomarker* | バイオマーカー
ai | AI | AI | ai, artificial intelligence, machine learning, in silico | 人工知能, 機械学習, インシリコ
platform | platform technology | プラットフォーム技術 | platform* | プラットフォーム, 基盤技術
oncology | oncology | がん | oncolog*, cancer*, tumor*, tumour* | がん, 癌, 腫瘍, オンコロジー
rare_disease | rare diseases | 希少疾患 | rare disease*, orphan | 希少疾患, 難病
infectious | infectious diseases | 感染症 | infectious disease*, infection*, antimicrobial* | 感染症, 抗菌
neurology | neurology | 神経疾患 | neurolog*, neurodegenerat*, alzheimer*, parkinson* | 神経, アルツハイマー,
    パーキンソン, 認知症
immunology | immunology | 免疫 | immun*, autoimmune, inflammat* | 免疫, 炎症
regenerative | regenerative medicine | 再生医療 | regenerative, atmp, atmps, advanced therap* | 再生医療
ips | iPS cells | iPS細胞 | ips, ipsc, ipscs, induced pluripotent, pluripotent, stem cell* | iPS, 幹細胞, 多能性
peptide | peptides | ペプチド | peptide* | ペプチド
small_molecule | small molecules | 低分子 | small molecule*, small-molecule* | 低分子
nucleic_acid | nucleic acids | 核酸 | oligonucleotide*, nucleic acid*, sirna, antisense | 核酸, オリゴヌクレオチド
adc | antibody-drug conjugates | 抗体薬物複合体 | antibody-drug conjugate*, adc, adcs | 抗体薬物複合体
fill_finish | fill-finish | 充填 | fill-finish, fill and finish, aseptic | 充填, 無菌
bioreactor | bioreactors | バイオリアクター | bioreactor* | バイオリアクター, 培養槽
cell_culture | cell culture | 細胞培養 | cell culture, cultivation, culture media | 細胞培養, 培養
fermentation | fermentation | 発酵 | ferment* | 発酵
biobased | bio-based | バイオベース | bio-based, biobased, renewable feedstock*, biomass | バイオベース, バイオマス,
    バイオ由来
biopolymer | biopolymers | バイオポリマー | biopolymer*, bioplastic*, pla, polylactic | バイオポリマー,
    バイオプラスチック, ポリ乳酸, 生分解性
enzyme | enzymes | 酵素 | enzym* | 酵素
microbe | microbes | 微生物 | microb*, bacteria*, bacterial, strain, strains | 微生物, 菌株, 細菌
binder | binders | バインダー | binder* | バインダー, 結着剤
screening | screening | スクリーニング | screening | スクリーニング
target | drug targets | 標的 | target identification, target validation, drug target* | 標的, ターゲット
patient | patients | 患者 | patient* | 患者
data | data | データ | data, dataset*, real-world | データ
fertiliser | fertilisers | 肥料 | fertili*, fertiliz* | 肥料
cadmium | cadmium | カドミウム | cadmium | カドミウム
tailings | tailings | 尾鉱 | tailing*, mine waste | 尾鉱, 鉱山残さ, 鉱滓, テーリング
fluorochemical | fluorochemicals | フッ素化学品 | fluorochemical*, hydrofluoric, hydrogen fluoride, fluoride*,
    refrigerant* | フッ素化学, フッ化水素, フッ酸, フッ素化合物, 冷媒
flotation | flotation | 浮遊選鉱 | flotation | 浮遊選鉱, 浮選
sulphur | sulphur | 硫黄 | sulphur, sulfur | 硫黄
sulphide | sulphide | 硫化物 | sulphide*, sulfide* | 硫化
leaching | leaching | 浸出 | leach*, bioleach* | 浸出, リーチング
coke | coke | コークス | coke, coke oven* | コークス
steel | steel | 鉄鋼 | steel*, blast furnace* | 鉄鋼, 製鉄, 高炉
ceramics | ceramics | セラミックス | ceramic*, porcelain, glaze*, frit, frits | 陶磁器, セラミック, 釉薬, フリット, 窯業
glass | glass | ガラス | glass* | ガラス
recycled_content | recycled content | 再生材 | recycled content, recycled material*, secondary raw material* | 再生材,
    再生原料
shredding | shredding | 破砕 | shred*, crushing, mechanical pre-treatment | 破砕, 粉砕
material_handling | material handling | 物流機器 | forklift*, agv, agvs, automated guided vehicle*, intralogistics,
    material handling, industrial truck* | フォークリフト, 無人搬送車, 産業車両, 搬送
lead_acid | lead-acid | 鉛蓄電池 | lead-acid, lead acid | 鉛蓄電池, 鉛電池
bms | battery management | 電池管理 | bms, battery management* | BMS, 電池管理, バッテリーマネジメント
radiopharma | radiopharmaceuticals | 放射性医薬品 | radiopharma*, radioligand*, radioisotope*, radionuclide*, isotope*,
    nuclear medicine, theranostic* | 放射性医薬品, 放射性核種, 核医学, 核種, 同位体
food | food | 食品 | food, foods, foodstuff*, meat analog*, meat alternative*, plant-based, dairy alternative* | 食品,
    代替肉, 植物由来, プラントベース
crop_protection | crop protection | 農薬 | crop protection, biocontrol, biopesticide*, biofungicide*, biostimulant*,
    agrochemical*, pesticide*, fungicide* | 農薬, 生物農薬, 殺菌剤, 作物保護
agriculture | agriculture | 農業 | agricultur*, farming, farmers, crop, crops, horticultur* | 農業, 農家, 施設園芸,
    作物, 園芸
microbiome | microbiome | マイクロバイオーム | microbiom*, gut bacteria, gut flora, live biotherapeutic*,
    probiotic* | マイクロバイオーム, 腸内細菌, 腸内フローラ, プロバイオティクス
animal_health | animal health | 動物用医薬品 | veterinar*, animal health, livestock | 動物用, 動物薬, 家畜, 畜産
japan | Japan | 日本 | japan, japanese | 日本, 国内
europe | Europe | 欧州 | europe, european, eu | 欧州, ヨーロッパ, EU
asia | Asia | アジア | asia, asian | アジア
"""


@dataclass(frozen=True)
class Concept:
    id: str
    label_en: str
    label_ja: str
    forms_en: tuple[str, ...]
    forms_ja: tuple[str, ...]


def _parse(table: str) -> dict[str, Concept]:
    concepts: dict[str, Concept] = {}
    # A line ending in a comma goes on in the next one.
    for line in table.strip().replace(",\n", ", ").splitlines():
        cid, en, ja, forms_en, forms_ja = (part.strip() for part in line.split("|"))
        if cid in concepts:
            raise ValueError(f"duplicate concept {cid!r} in the glossary")
        concepts[cid] = Concept(
            cid, en, ja, tuple(f.strip() for f in forms_en.split(",")), tuple(f.strip() for f in forms_ja.split(","))
        )
    return concepts


CONCEPTS: dict[str, Concept] = _parse(_TABLE)

_KATAKANA = "\u30a0-\u30ff"
# Latin letters and digits incl. accented ones; \b would treat kanji as word characters and
# miss "ev" in "ev向け".
_LATIN = "a-z0-9&\u00c0-\u024f"
_IS_LATIN = re.compile(f"[{_LATIN}]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u30fb/,;:()（）、。・]+")
# How a form may end: a latin word ending (*), not inside a longer latin word (L), not inside a
# longer katakana word (K), or anywhere (a kanji/katakana substring).
_ENDS = {"*": f"[{_LATIN}]*", "L": f"(?![{_LATIN}])", "K": f"(?![{_KATAKANA}])", "": ""}


def normalize(text: str) -> str:
    """Lower case, and one space for any run of spaces, hyphens or punctuation."""
    return _SEPARATORS.sub(" ", text.lower())


def _entry(form: str) -> tuple[str, str, str]:
    """(literal, kind, end) of one surface form; kind names the trie it goes in."""
    literal = normalize(form.rstrip("*")).strip()
    if _IS_LATIN.match(literal):
        return literal, "latin", "*" if form.endswith("*") else "L"
    if len(literal) <= 2 and re.fullmatch(f"[{_KATAKANA}]+", literal):
        return literal, "short_katakana", "K"
    return literal, "cjk", ""


GUARD_FROM = 3
"""Trie nodes with more branches than this get a first-character lookahead."""


def _trie_regex(entries: list[tuple[str, str]]) -> str:
    """A regex of nested alternatives, so the engine tries only branches whose first char fits."""
    trie: dict[str, dict] = {}
    for literal, end in entries:
        node = trie
        for ch in literal:
            node = node.setdefault(ch, {})
        node.setdefault("", {})[end] = {}
    return _node_regex(trie)


def _node_regex(node: dict[str, dict]) -> str:
    # Continuations before endings: the longest form wins at a position.
    chars = [ch for ch in sorted(node) if ch]
    branches = [re.escape(ch) + _node_regex(node[ch]) for ch in chars]
    if len(branches) > GUARD_FROM:
        # Python's regex engine tries the branches of an alternation one by one; a lookahead of
        # their first characters rejects most positions in one set test (3.7x faster on the
        # benchmark's texts, same matches).
        branches = [f"(?=[{''.join(re.escape(ch) for ch in chars)}])(?:{'|'.join(branches)})"]
    branches += [_ENDS[end] for end in ("*", "L", "K", "") if end in node.get("", {})]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _entries() -> list[tuple[str, str, str, str]]:
    """(concept id, literal, kind, end) for every surface form of every concept."""
    return [
        (concept.id, *_entry(form)) for concept in CONCEPTS.values() for form in concept.forms_en + concept.forms_ja
    ]


@lru_cache(maxsize=1)
def _compiled() -> re.Pattern[str]:
    """One pattern for every form, captured as a whole so that split() returns text and spans in
    turn, in one pass."""
    by_kind: dict[str, list[tuple[str, str]]] = {"latin": [], "cjk": [], "short_katakana": []}
    for _, literal, kind, end in _entries():
        by_kind[kind].append((literal, end))
    return re.compile(
        f"((?<![{_LATIN}]){_trie_regex(by_kind['latin'])}"
        f"|{_trie_regex(by_kind['cjk'])}"
        f"|(?<![{_KATAKANA}]){_trie_regex(by_kind['short_katakana'])})"
    )


@lru_cache(maxsize=1)
def _single_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    starts = {"latin": f"(?<![{_LATIN}])", "cjk": "", "short_katakana": f"(?<![{_KATAKANA}])"}
    return tuple(
        (cid, re.compile(starts[kind] + re.escape(literal) + _ENDS[end])) for cid, literal, kind, end in _entries()
    )


@lru_cache(maxsize=65536)
def _span_concepts(span: str) -> tuple[str, ...]:
    """Every concept inside one matched span: "lithium ion" holds li_ion and lithium."""
    return tuple(dict.fromkeys(cid for cid, pattern in _single_patterns() if pattern.search(span)))


@dataclass(frozen=True)
class ConceptMatch:
    concepts: tuple[str, ...]
    """Concept ids found, in order of first appearance, each once."""
    residue: str
    """The normalized text with every matched span blanked out, for the language-specific features."""


def find_concepts(text: str) -> ConceptMatch:
    """Concepts in a text of any of our languages, and what is left once they are cut out.

    Nested forms count too (リチウムイオン also yields リチウム, as "lithium-ion" yields "lithium"),
    so both languages give the same concepts for the same phrase.
    """
    pieces = _compiled().split(normalize(text))  # text, span, text, span, ..., text
    found = dict.fromkeys(chain.from_iterable(map(_span_concepts, pieces[1::2])))
    return ConceptMatch(tuple(found), " ".join(pieces[0::2]))


def label(concept_id: str, language: str = "en") -> str:
    concept = CONCEPTS[concept_id]
    return concept.label_ja if language == "ja" else concept.label_en
