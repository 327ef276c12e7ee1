"""Bilingual concept glossary: English and Japanese surface forms mapped to shared concept ids.

Text is matched against the glossary and each concept found becomes a token ("c:nickel"), so a
Japanese profile and an English one about the same thing share features although they share no
words. One line per concept: ``id | English label | Japanese label | English forms | Japanese forms``,
optionally ``| implied concept ids``; a line ending in a comma continues on the next. Lines are
grouped in sections (``# minerals``, ``# batteries``, ``# biotech``, ``# business``, ``# places``):
the section is the concept's sector, which decides ambiguous words (below).

Latin forms (English, and the latin forms of the Japanese column such as EV, GMP) are matched
case-insensitively on word edges; a trailing ``*`` matches any word ending (``refin*``: refine,
refinery, refining); a space or hyphen inside a form matches either. At each position the longest
form wins; when several forms match the same words, the one with the longest literal wins
(``separators`` is a separator, not ``separat*`` separation).
Japanese forms are matched as whole words: the text and the forms are cut into words by the
morphological analyser (``japanese.py``), and a form matches where its sequence of words occurs,
longest first, so 再生 (recycling) is not found inside 再生医療 (regenerative medicine) and 人工
(synthetic) not inside 人工多能性幹細胞 (iPS cells). A katakana word that the analyser leaves whole
is split only when glossary words cover it entirely (セルメーカー: セル + メーカー).

A matched form yields its concept and the concepts that concept implies (lithium-ion implies
lithium), never other concepts whose forms happen to lie inside it (``stem cells`` is not a
battery cell, ``car-t`` not a car). A form listed under two concepts is ambiguous (``cell``: a
battery cell or a biological cell; 検査: inspection or diagnostics): it takes the concept whose
sector has more of the text's unambiguous concepts; a reading outside the three sectors (a
business word) stands when those have no evidence; a tie leaves a plain word. A form written
``?form`` is contextual: it counts only when the text has another concept of its sector
(``?formulat*`` is a drug formulation in a pharma text, nothing in an electrolyte maker's).
A few German and French forms ride along where they are cheap (Batterie, raffin*).
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from . import japanese

_TABLE = """
# minerals
aluminium | aluminium | アルミニウム | alumin*, bauxite, aluminum | アルミ, ボーキサイト
antimony | antimony | アンチモン | antimon* | アンチモン
arsenic | arsenic | ヒ素 | arsenic | ヒ素, 砒素
baryte | baryte | 重晶石 | baryte, barite | 重晶石, バライト
beryllium | beryllium | ベリリウム | berylli* | ベリリウム
bismuth | bismuth | ビスマス | bismuth | ビスマス
boron | boron | ホウ素 | boron, borate*, boric | ホウ素, ホウ酸, ボロン
cobalt | cobalt | コバルト | cobalt | コバルト
coking_coal | coking coal | 原料炭 | coking coal, metallurgical coal, met coal | 原料炭, 粘結炭
copper | copper | 銅 | copper | 銅, 電気銅
feldspar | feldspar | 長石 | feldspar | 長石
fluorspar | fluorspar | 蛍石 | fluorspar, fluorite, acidspar, metspar | 蛍石
gallium | gallium | ガリウム | gallium | ガリウム
germanium | germanium | ゲルマニウム | germanium | ゲルマニウム
hafnium | hafnium | ハフニウム | hafnium | ハフニウム
helium | helium | ヘリウム | helium | ヘリウム
hree | heavy rare earths | 重希土類 | heavy rare earth* | 重希土類, 重レアアース | rare_earth
lree | light rare earths | 軽希土類 | light rare earth* | 軽希土類, 軽レアアース | rare_earth
rare_earth | rare earths | レアアース | rare earth*, ree, rees | レアアース, 希土類
neodymium | neodymium | ネオジム | neodymium, ndfeb | ネオジム, ネオジウム
dysprosium | dysprosium | ジスプロシウム | dysprosium | ジスプロシウム
terbium | terbium | テルビウム | terbium | テルビウム
praseodymium | praseodymium | プラセオジム | praseodymium | プラセオジム
lithium | lithium | リチウム | lithium, lithium-* | リチウム
magnesium | magnesium | マグネシウム | magnesium | マグネシウム
manganese | manganese | マンガン | manganese | マンガン
graphite | graphite | 黒鉛 | graphite, graphit*, graphitis*, graphitiz* | 黒鉛, グラファイト, 黒鉛化
nickel | nickel | ニッケル | nickel | ニッケル
niobium | niobium | ニオブ | niobium | ニオブ
phosphate_rock | phosphate rock | リン鉱石 | phosphate rock, apatite, phosphorite | リン鉱石, 燐灰石,
    アパタイト | phosphorus
phosphorus | phosphorus | リン | phosphorus, phosphate*, phosphoric | リン, 燐, リン酸, リン酸塩
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
cadmium | cadmium | カドミウム | cadmium | カドミウム
sulphate | sulphate | 硫酸塩 | sulphate*, sulfate*, sulphuric, sulfuric | 硫酸
hydroxide | hydroxide | 水酸化物 | hydroxide* | 水酸化
carbonate | carbonate | 炭酸塩 | carbonate* | 炭酸
oxide | oxide | 酸化物 | oxide*, oxyde* | 酸化物, 酸化
concentrate | concentrate | 精鉱 | concentrate* | 精鉱
ore | ore | 鉱石 | ore, ores | 鉱石
powder | powder | 粉末 | powder* | 粉末, パウダー
metal | metal | 金属 | metal, metals, metallic, non-ferrous, nonferrous, base metal* | 金属, メタル, 地金, 非鉄,
    非鉄金属, ベースメタル
alloy | alloy | 合金 | alloy*, legierung* | 合金
magnet | magnet | 磁石 | magnet* | 磁石, マグネット
permanent | permanent | 永久 | permanent | 永久
high_purity | high purity | 高純度 | high purity, high-purity, ultra-pure, purified | 高純度
spherical | spherical | 球状 | spherical | 球状, 球形
synthetic | synthetic | 人造 | synthetic, artificial | 人造, 人工, 合成
natural | natural | 天然 | natural | 天然
scrap | scrap | スクラップ | scrap*, end-of-life, spent, offcut*, off-spec | スクラップ, 使用済み, 廃, 端材, 規格外,
    工程くず
exploration | exploration | 探鉱 | explor*, geophysic*, drilling | 探鉱, 探査, 物理探査, ボーリング, 試錐
mining | mining | 採掘 | mining, mine, mines, miner, miners, mineral resource*, mine development, quarry*,
    quarries | 採掘, 鉱山, 採鉱, 鉱業, 鉱山開発, 鉱産品
refining | refining | 精錬 | refin*, smelt*, raffin*, smelter* | 精錬, 製錬, 精製, 製錬所, 精錬所
processing | processing | 加工 | processing, processor*, converter*, machining, machined | 加工, 処理
separation | separation | 分離 | separation*, separating, separated | 分離
solvent_extraction | solvent extraction | 溶媒抽出 | solvent extraction | 溶媒抽出
hydrometallurgy | hydrometallurgy | 湿式製錬 | hydrometallurg* | 湿式
pyrometallurgy | pyrometallurgy | 乾式製錬 | pyrometallurg* | 乾式
dle | direct lithium extraction | 直接リチウム抽出 | direct lithium extraction, dle | 直接リチウム抽出,
    直接抽出 | lithium
brine | brine | かん水 | brine* | かん水, 塩湖
recycling | recycling | リサイクル | recycl*, recyclage, closed-loop, circular, circularity,
    circular economy | リサイクル, 再資源化, 再生利用, 再生アルミ, 再生資源, 再生品, 再生金属, 資源循環, 循環型,
    クローズドループ
recovery | recovery | 回収 | recover* | 回収
trading | trading | 商社 | trading, trader*, trade house* | 商社, トレーディング, 貿易
stockpiling | stockpiling | 備蓄 | stockpil*, strategic reserve* | 備蓄
fertiliser | fertilisers | 肥料 | fertiliser*, fertilizer* | 肥料
tailings | tailings | 尾鉱 | tailing*, mine waste | 尾鉱, 鉱山残さ, 鉱滓, テーリング | mining
fluorochemical | fluorochemicals | フッ素化学品 | fluorochemical*, hydrofluoric, hydrogen fluoride, fluoride*,
    refrigerant* | フッ素化学, フッ化水素, フッ酸, フッ素化合物, 冷媒
flotation | flotation | 浮遊選鉱 | flotation | 浮遊選鉱, 浮選
sulphur | sulphur | 硫黄 | sulphur, sulfur | 硫黄
sulphide | sulphide | 硫化物 | sulphide*, sulfide* | 硫化
leaching | leaching | 浸出 | leach*, bioleach* | 浸出, リーチング
coke | coke | コークス | coke, coke oven*, coal tar pitch, needle coke | コークス, ピッチ
steel | steel | 鉄鋼 | steel*, blast furnace* | 鉄鋼, 製鉄, 高炉, 製鋼 | iron
ceramics | ceramics | セラミックス | ceramic*, porcelain, glaze*, frit, frits | 陶磁器, セラミック, 釉薬, フリット,
    窯業, セラミックス
glass | glass | ガラス | glass* | ガラス
recycled_content | recycled content | 再生材 | recycled content, recycled material*,
    secondary raw material* | 再生材, 再生原料, 再生, リサイクル材 | recycling
shredding | shredding | 破砕 | shred*, crushing, mechanical pre-treatment | 破砕, 粉砕
uranium | uranium | ウラン | uranium | ウラン
nuclear | nuclear fuel cycle | 核燃料サイクル | nuclear, fuel cycle, fuel-cycle, nuclear fuel*, used fuel,
    spent fuel, ?enrichment, ?reactor*, fuel reprocessing | 原子力, 核燃料, 原子燃料, 燃料サイクル, 核燃料サイクル,
    使用済燃料, 原子炉, ?濃縮
zirconium | zirconium | ジルコニウム | zirconium, zirconia, zircon | ジルコニウム, ジルコニア, ジルコン
lead | lead | 鉛 | lead metal, lead smelt*, lead ore*, lead concentrate*, lead-zinc, zinc-lead | 鉛
limestone | limestone | 石灰石 | limestone*, quicklime, ?lime | 石灰石, 石灰
alumina | alumina | アルミナ | alumina | アルミナ | aluminium
ferroalloy | ferroalloys | 合金鉄 | ferroalloy*, ferro-alloy*, ferromanganese, ferrosilicon, silicomanganese,
    ferrochrome | 合金鉄, フェロアロイ, フェロマンガン | alloy
critical_minerals | critical minerals | 重要鉱物 | critical mineral*, critical metal*, critical raw material*,
    strategic mineral*, minor metal*, rare metal* | 重要鉱物, レアメタル, マイナーメタル
by_product | by-products | 副産物 | by-product*, byproduct*, co-product* | 副産物, 副生, 併産
beneficiation | mineral processing | 選鉱 | beneficiat*, mineral processing, ore dressing, comminution | 選鉱,
    鉱物処理
carbon_products | carbon and graphite products | 炭素製品 | carbon black, carbon fibre*, carbon fiber*,
    carbon product*, specialty carbon, special carbon, carbon block*, carbon electrode*, isostatic, isotropic,
    extruded graphite, fine carbon | カーボンブラック, 炭素繊維, 炭素製品, 特殊炭素, ファインカーボン, 等方性,
    炭素材, 炭素部材
composite | composites | 複合材料 | composite* | 複合材, 複合材料, コンポジット
furnace | furnaces | 炉 | furnace*, kiln*, arc furnace*, eaf | 工業炉, 電炉, 電気炉, アーク炉, 炉
rolled_products | sheet, foil and extrusions | 圧延・押出製品 | rolled product*, rolling mill*, sheet, sheets, foil,
    foils, extrusion*, extruded, can stock, can body, body sheet | 圧延, 板材, 押出材, 押出, 箔, 缶材
lightweighting | lightweighting | 軽量化 | lightweight*, light-weight* | 軽量化
crystal_growth | crystal growth | 結晶成長 | crystal growth, single crystal*, ingot*, crystal puller* | 結晶成長,
    単結晶, インゴット
waste_treatment | waste treatment | 廃棄物処理 | waste treatment, incinerat*, ash treatment, residue treatment,
    waste management | 廃棄物処理, 焼却, 焼却灰, 廃棄物
# batteries
battery_grade | battery grade | 電池グレード | battery grade, battery-grade | 電池グレード, バッテリーグレード,
    電池用 | battery
black_mass | black mass | ブラックマス | black mass | ブラックマス
precursor | precursor | 前駆体 | precursor*, pcam | 前駆体
cathode | cathode materials | 正極材 | cathode*, positive electrode* | 正極, カソード
anode | anode materials | 負極材 | anode*, negative electrode* | 負極, アノード
electrolyte | electrolyte | 電解液 | electrolyte* | 電解液, 電解質
separator | separator | セパレータ | separator* | セパレータ, セパレーター
electrode | electrode | 電極 | electrode* | 電極
binder | binders | バインダー | binder* | バインダー, 結着剤
cell | cells | セル | cell, cells, pouch cell*, prismatic cell*, cylindrical cell* | セル
module | modules | モジュール | module* | モジュール
pack | packs | パック | pack, packs | パック
battery | batteries | 電池 | batter*, akku* | 電池, バッテリー
li_ion | lithium-ion | リチウムイオン | lithium-ion, li-ion, lithium ion | リチウムイオン | lithium
solid_state | solid-state | 全固体 | solid-state, solid state, semi-solid, all-solid-state | 全固体, 固体電池,
    半固体 | battery
sodium_ion | sodium-ion | ナトリウムイオン | sodium-ion, sodium ion, na-ion | ナトリウムイオン | sodium
lfp | LFP | LFP | lfp, lithium iron phosphate | リン酸鉄 | lithium, iron, phosphorus
nmc | NMC | 三元系 | nmc, ncm, nca, ternary | 三元系
high_nickel | high-nickel | ハイニッケル | high-nickel, high nickel, nickel-rich | ハイニッケル, 高ニッケル | nickel
coating | coating | 塗工 | coating*, coater* | 塗工, コーティング
assembly | assembly | 組立 | assembl* | 組立, 組み立て
gigafactory | gigafactory | ギガファクトリー | gigafactor* | ギガファクトリー
lead_acid | lead-acid | 鉛蓄電池 | lead-acid, lead acid | 鉛蓄電池, 鉛電池 | battery, storage
bms | battery management | 電池管理 | bms, battery management*, battery monitoring, battery ecu* | BMS, 電池管理,
    バッテリーマネジメント, 電池監視, 電池ECU | battery
ev | electric vehicles | 電気自動車 | electric vehicle*, ev, evs, e-mobility, electromobility | 電気自動車, EV,
    電動車 | vehicle
vehicle | vehicles | 車両 | vehicle*, automotive, car, cars, carmaker*, automaker*, oem, oems, tier-one, tier one,
    tier 1, automotive supplier*, passenger car*, commercial vehicle*, truck*, suv, suvs | 車両, 自動車, 完成車,
    車載, 自動車部品, 自動車メーカー, 乗用車, 商用車, トラック, SUV
material_handling | material handling | 物流機器 | forklift*, agv, agvs, automated guided vehicle*, intralogistics,
    material handling, industrial truck* | フォークリフト, 無人搬送車, 産業車両, 搬送
storage | energy storage | 蓄電 | energy storage, stationary storage, bess, storage system*, storage batter*,
    home storage, residential storage, storage cell* | 蓄電, 定置用, 蓄電池, 蓄電システム, 住宅用蓄電
grid | grid | 電力系統 | grid, grids, utility, utilities | 系統, グリッド, 電力会社
wind | wind power | 風力 | wind | 風力
motor | motors | モーター | motor, motors, electric motor*, e-motor*, motor generator*, in-wheel motor* | モーター,
    モータ, 電動機, モータージェネレーター
electronics | electronics | 電子機器 | electronics, electronic, electronic component* | 電子機器, 電子部品,
    エレクトロニクス, 電子材料, 電子デバイス, 電子
semiconductor | semiconductors | 半導体 | semiconductor*, chip, chips, microcontroller*, analog ic*, ic,
    ics | 半導体, マイコン, 半導体パッケージ
second_life | second life | 二次利用 | second-life, second life, second use, reuse, repurpos* | 二次利用, リユース,
    再利用, セカンドライフ
battery_passport | battery passport | バッテリーパスポート | battery passport*, digital product passport*,
    dpp | バッテリーパスポート, 電池パスポート | battery
fuel_cell | fuel cells | 燃料電池 | fuel cell*, fuel-cell*, fuel cell stack* | 燃料電池
hydrogen | hydrogen | 水素 | hydrogen, electrolyser*, electrolyzer*, electrolysis | 水素, 水電解, 水電解装置
power_semiconductor | power semiconductors | パワー半導体 | power semiconductor*, power device*, power module*,
    igbt*, mosfet*, diode*, wide-bandgap, wide bandgap, gate driver* | パワー半導体, パワーデバイス,
    パワーモジュール, IGBT, MOSFET, ダイオード, ゲートドライバー | semiconductor
sic | silicon carbide | 炭化ケイ素 | silicon carbide, sic | 炭化ケイ素, 炭化珪素, SiC
wafer | wafers and substrates | ウェハー・基板 | wafer*, substrate*, epitax*, epi-wafer*, epiwafer* | ウェハー,
    ウエハー, ウェハ, ウエハ, 基板, エピタキシャル, エピウェハー
inverter | inverters | インバーター | inverter* | インバーター, インバータ
power_electronics | power electronics | パワーエレクトロニクス | power electronics, power conversion,
    on-board charger*, converter system* | パワーエレクトロニクス, パワエレ, 電力変換, 電力変換装置
powertrain | powertrains and e-drives | パワートレイン | powertrain*, drivetrain*, e-axle*, e-drive*,
    electric drive*, drive unit*, drive system*, axle drive*, electric propulsion,
    marine propulsion | パワートレイン, 電動アクスル, 駆動系, 駆動ユニット, 電動駆動, ドライブユニット, 電動推進,
    推進機
electrification | electrification | 電動化 | electrification, electrif*, electrified | 電動化
charging | charging | 充電 | charging, charger*, fast-charg*, fast charg* | 充電, 急速充電, 充電器
capacitor | capacitors | コンデンサー | capacitor*, ultracapacitor*, supercapacitor* | コンデンサー, コンデンサ,
    キャパシタ, キャパシター
two_wheeler | two-wheelers | 二輪車 | motorcycle*, motorbike*, scooter*, moped*, e-moped*, two-wheeler*, e-bike*,
    light electric vehicle*, light ev* | 二輪車, 二輪, 電動二輪, バイク, スクーター, 電動スクーター,
    電動アシスト自転車, 自転車 | vehicle
hybrid | hybrid vehicles | ハイブリッド車 | hybrid*, phev*, plug-in*, hev, hevs | ハイブリッド, PHEV, HEV,
    プラグインハイブリッド | vehicle
marine | marine | 船舶 | marine, maritime, ships, shipyard*, shipbuild*, ferry, ferries, boat*, tugboat*, workboat*,
    outboard* | 船舶, 船, 造船, 船外機, 舶用, 海事
rail | rail | 鉄道 | rail, railway*, railroad*, rolling stock, locomotive* | 鉄道, 鉄道車両
thermal | thermal management | 熱マネジメント | thermal management, thermal system*, cooling, air-cooled,
    liquid-cooled | 熱マネジメント, 熱管理, 冷却
sensor | sensors | センサー | sensor* | センサー, センサ
adas | automated driving | 自動運転 | automated driving, autonomous driving, adas, driver-assistance,
    driver assistance | 自動運転, 運転支援
power_tools | power tools | 電動工具 | power tool* | 電動工具
renewable | renewable energy | 再生可能エネルギー | renewable energy, renewables, solar, photovoltaic*, pv,
    solar cell*, solar module* | 再生可能エネルギー, 再エネ, 太陽光, 太陽電池, 太陽光発電
power_generation | power generation | 発電 | power generation, power plant*, power station*, generator*,
    electricity | 発電, 発電所, 発電設備, 発電プラント, 発電機, 電力
# biotech
gmp | GMP | GMP | gmp, good manufacturing practice | GMP
regulatory | regulatory | 薬事 | regulat*, approval*, pmda, ema, fda, registration*, marketing authori*,
    regulatory filing*, dossier* | 規制, 規則, 薬事, 承認, PMDA, EMA, FDA, 承認申請, 承認取得, 申請, 未承認
drug_discovery | drug discovery | 創薬 | drug discovery, discovery | 創薬 | drug
drug | drugs | 医薬品 | drug, drugs, pharmaceutical*, medicine*, therapeutic*, pharma, medication* | 医薬品, 薬,
    製薬, 治療薬, 医薬, 医療用医薬品, 新薬
candidate | drug candidates | 候補 | candidate*, pipeline*, asset, assets | 候補, パイプライン
clinical | clinical development | 臨床開発 | clinical, clinic*, trial, trials, clinical trial*, clinical stud*,
    clinical-stage, late-stage, pivotal, bridging stud* | 臨床, 治験, 試験, 臨床試験, 臨床開発, 臨床段階, 開発後期,
    エビデンス
preclinical | preclinical | 前臨床 | preclinical, pre-clinical, non-clinical, toxicolog*, safety stud*,
    safety assessment*, glp | 前臨床, 非臨床, 非臨床試験, 安全性試験, 毒性, 毒性試験, GLP
cro | CRO | CRO | cro, cros, contract research | CRO, 受託研究, 受託試験
cdmo | CDMO | CDMO | cdmo, cdmos, cmo, cmos, contract manufactur*, contract development | CDMO, 受託製造,
    受託開発 | manufacturing
biologics | biologics | バイオ医薬品 | biologic*, biopharmaceutical*, biotherapeutic* | バイオ医薬品, 生物学的製剤,
    バイオ医薬 | drug
antibody | antibodies | 抗体 | antibod*, mab, mabs, monoclonal | 抗体
mrna | mRNA | mRNA | mrna, messenger rna | メッセンジャーRNA
cell_therapy | cell therapy | 細胞治療 | cell therap*, car-t | 細胞治療, 細胞療法
gene_therapy | gene therapy | 遺伝子治療 | gene therap*, aav, viral vector* | 遺伝子治療, ウイルスベクター
genome_editing | genome editing | ゲノム編集 | crispr, gene editing, genome editing | ゲノム編集, 遺伝子編集
vaccine | vaccines | ワクチン | vaccin*, antigen*, neoantigen*, epitope* | ワクチン, 抗原, ネオアンチゲン, エピトープ
diagnostics | diagnostics | 診断 | diagnos*, assay*, test kit* | 診断, 検査, アッセイ
companion_dx | companion diagnostics | コンパニオン診断 | companion diagnostic* | コンパニオン診断 | diagnostics
biomarker | biomarkers | バイオマーカー | biomarker* | バイオマーカー
oncology | oncology | がん | oncolog*, cancer*, tumor*, tumour*, oncolytic*, leukaemia, leukemia, lymphoma*,
    myeloma*, haemato-oncolog*, hemato-oncolog* | がん, 癌, 腫瘍, オンコロジー, 腫瘍溶解, 白血病, リンパ腫, 骨髄腫
rare_disease | rare diseases | 希少疾患 | rare disease*, orphan, intractable disease*, lysosomal, muscular dystroph*,
    enzyme replacement | 希少疾患, 難病, ライソゾーム病, 筋ジストロフィー, 酵素補充
infectious | infectious diseases | 感染症 | infectious disease*, infection*, antimicrobial*, influenza,
    travel vaccine*, antiviral*, virus*, viral | 感染症, 抗菌, インフルエンザ, ウイルス, 抗ウイルス
neurology | neurology | 神経疾患 | neurolog*, neurodegenerat*, alzheimer*, parkinson* | 神経, アルツハイマー,
    パーキンソン, 認知症
immunology | immunology | 免疫 | immun*, autoimmune, inflammat*, inflammatory, anti-inflammatory | 免疫, 炎症,
    自己免疫
regenerative | regenerative medicine | 再生医療 | regenerative, atmp, atmps, advanced therap* | 再生医療
ips | iPS cells | iPS細胞 | ips, ipsc, ipscs, induced pluripotent, pluripotent, stem cell*,
    induced pluripotent stem cell*, stem-cell* | iPS, 幹細胞, 多能性, 人工多能性幹細胞, iPS細胞, 多能性幹細胞, ES細胞
peptide | peptides | ペプチド | peptide* | ペプチド
small_molecule | small molecules | 低分子 | small molecule*, small-molecule* | 低分子
nucleic_acid | nucleic acids | 核酸 | oligonucleotide*, nucleic acid*, sirna, antisense, plasmid*, dna | 核酸,
    オリゴヌクレオチド, プラスミド, DNA, 核酸医薬
adc | antibody-drug conjugates | 抗体薬物複合体 | antibody-drug conjugate*, adc, adcs | 抗体薬物複合体 | antibody,
    drug
radiopharma | radiopharmaceuticals | 放射性医薬品 | radiopharma*, radioligand*, radioisotope*, radionuclide*,
    isotope*, nuclear medicine, theranostic* | 放射性医薬品, 放射性核種, 核医学, 核種, 同位体 | drug
fill_finish | fill-finish | 充填 | fill-finish, fill and finish, aseptic, sterile | 充填, 無菌
bioreactor | bioreactors | バイオリアクター | bioreactor* | バイオリアクター, 培養槽 | cell_culture
cell_culture | cell culture | 細胞培養 | cell culture, cultivation, culture media, cell culture*, culture medi*,
    cell-culture* | 細胞培養, 培養, 培地
fermentation | fermentation | 発酵 | ferment*, bioprocess* | 発酵, バイオプロセス
biobased | bio-based | バイオベース | bio-based, biobased, renewable feedstock*, biomass | バイオベース, バイオマス,
    バイオ由来
biopolymer | biopolymers | バイオポリマー | biopolymer*, bioplastic*, pla, polylactic | バイオポリマー,
    バイオプラスチック, ポリ乳酸, 生分解性
enzyme | enzymes | 酵素 | enzym* | 酵素
microbe | microbes | 微生物 | microb*, bacteria*, bacterial, strain, strains, lactic acid bacteria,
    lactobacill* | 微生物, 菌株, 細菌, 乳酸菌
screening | screening | スクリーニング | screening | スクリーニング
target | drug targets | 標的 | target identification, target validation, drug target* | 標的, ターゲット
patient | patients | 患者 | patient* | 患者
food | food | 食品 | food, foods, foodstuff*, meat analog*, meat alternative*, plant-based,
    dairy alternative* | 食品, 代替肉, 植物由来, プラントベース
crop_protection | crop protection | 農薬 | crop protection, biocontrol, biopesticide*, biofungicide*, biostimulant*,
    agrochemical*, pesticide*, fungicide* | 農薬, 生物農薬, 殺菌剤, 作物保護 | agriculture
agriculture | agriculture | 農業 | agricultur*, farming, farmers, crop, crops, horticultur* | 農業, 農家, 施設園芸,
    作物, 園芸
microbiome | microbiome | マイクロバイオーム | microbiom*, gut bacteria, gut flora, live biotherapeutic*,
    probiotic* | マイクロバイオーム, 腸内細菌, 腸内フローラ, プロバイオティクス | microbe
animal_health | animal health | 動物用医薬品 | veterinar*, animal health, livestock | 動物用, 動物薬, 家畜,
    畜産 | drug
bio_cell | cells (biology) | 細胞 | cell line*, cell bank*, cell-based, cellular, cell, cells | 細胞, 細胞株
womens_health | women's health | 女性医療 | women's health, womens health, gynaecolog*, gynecolog*, obstetric*,
    contracept*, menopaus*, endometriosis, dysmenorrh*, reproductive health, infertility | 女性医療, 女性の健康,
    産婦人科, 婦人科, 避妊, 避妊薬, 更年期, 子宮内膜症, 月経困難症, 月経, 不妊
hormone | hormones | ホルモン | hormon*, oestrogen*, estrogen*, estetrol, progesterone, testosterone, oestradiol,
    estradiol, growth hormone* | ホルモン, エストロゲン, 女性ホルモン, 黄体ホルモン, 成長ホルモン
urology | urology | 泌尿器 | urolog*, urinary, bladder | 泌尿器, 泌尿器科, 排尿
nephrology | kidney disease | 腎疾患 | nephrolog*, kidney*, renal, dialysis | 腎, 腎臓, 腎疾患, 腎臓病, 透析
cardiology | cardiovascular | 循環器 | cardiolog*, cardiovascular, cardiac, heart, heart failure, hypertension,
    cardiometabolic | 循環器, 心血管, 心臓, 心不全, 高血圧, 心疾患
cns | CNS and psychiatry | 中枢神経・精神 | central nervous system, cns, psychiatr*, mental health, depression,
    schizophreni*, bipolar, adhd, epilep* | 中枢神経, 中枢神経系, 精神, 精神科, 精神疾患, うつ病, 統合失調症, てんかん
pain | pain | 疼痛 | pain, analgesi*, pain relief | 疼痛, 鎮痛, 痛み
dermatology | dermatology | 皮膚科 | dermatolog*, skin, skincare, atopic, psoriasis, eczema, dermatitis | 皮膚,
    皮膚科, 皮膚疾患, アトピー, アトピー性皮膚炎, 乾癬, スキンケア
allergy | allergy | アレルギー | allerg*, hay fever, pollen, anaphyla* | アレルギー, 花粉症, アレルゲン,
    アナフィラキシー
gastro | gastroenterology | 消化器 | gastroenterolog*, gastrointestinal, digestive, inflammatory bowel, crohn*,
    colitis, hepat*, liver | 消化器, 消化管, 胃腸, 炎症性腸疾患, 肝臓, 肝疾患, 肝
respiratory | respiratory | 呼吸器 | respiratory, pulmonary, lung, lungs, asthma, copd, inhal* | 呼吸器, 肺, 喘息,
    吸入, COPD
haematology | haematology | 血液 | haematolog*, hematolog*, blood, anaemia, anemia, haemophilia, hemophilia | 血液,
    血液疾患, 貧血, 血友病
metabolic | metabolic diseases | 代謝疾患 | metabolic, metabolism, diabet*, obesity | 代謝, 代謝疾患, 糖尿病, 肥満
rheumatology | rheumatology | リウマチ | rheumat*, arthritis | リウマチ, 関節リウマチ, 関節炎
ophthalmology | ophthalmology | 眼科 | ophthalm*, eye, eyes, retina*, retinal | 眼科, 眼, 網膜
neonatal | neonatology and paediatrics | 新生児・小児 | neonat*, paediatric*, pediatric*, infant* | 新生児, 小児,
    乳幼児
generics | generics | ジェネリック医薬品 | generics, generic drug*, generic medicine*,
    generic pharmaceutical* | ジェネリック, ジェネリック医薬品, 後発医薬品, 後発品 | drug
biosimilar | biosimilars | バイオシミラー | biosimilar* | バイオシミラー, バイオ後続品 | biologics
api | active pharmaceutical ingredients | 原薬 | active pharmaceutical ingredient*, active ingredient*,
    drug substance*, pharmaceutical intermediate*, ?api, ?apis | 原薬, 医薬品中間体
formulation | formulation and dosage forms | 製剤 | dosage form*, finished dose*, injectable*, vaginal ring*,
    ?formulat*, ?tablet*, ?capsule*, ?gel, ?gels, ?implant* | 製剤, 剤形, 錠剤, カプセル, 注射剤, 製剤技術,
    付加価値製剤
drug_delivery | drug delivery | ドラッグデリバリー | drug delivery, drug-delivery, dds, transdermal, nasal,
    intranasal, administration route*, delivery device*, blood-brain barrier, brain-penetrant | ドラッグデリバリー,
    DDS, 経鼻, 経鼻投与, 経皮, 投与, 投与デバイス, 血液脳関門, 脳移行
otc | OTC medicines | 一般用医薬品 | otc, over-the-counter, consumer health, self-medication | 一般用医薬品, OTC,
    市販薬 | drug
protein | proteins | タンパク質 | protein*, recombinant | タンパク質, 蛋白質, 組換え, 遺伝子組換え, 組換えタンパク質
genomics | genomics and bioinformatics | ゲノミクス | genom*, genetic*, bioinformatic*, omics, proteomic*,
    epigenetic* | ゲノム, 遺伝子, バイオインフォマティクス, ゲノム解析, エピジェネティクス
pharmacology | pharmacology | 薬理 | pharmacolog* | 薬理, 臨床薬理
reagents | reagents | 試薬 | reagent* | 試薬
nutrition | nutrition and supplements | 栄養・サプリメント | nutrition*, nutraceutical*, supplement*,
    functional food*, health drink* | 栄養, サプリメント, 機能性食品, 機能食品, 栄養ドリンク, 健康食品, 栄養素材
hospital | hospitals | 病院 | hospital*, pharmacy, pharmacies, acute care, acute-care | 病院, 薬局, 医療機関, 急性期
medical_device | medical devices | 医療機器 | medical device*, medtech | 医療機器
healthcare | healthcare | ヘルスケア | healthcare, health care, medical, life science*, life-science* | ヘルスケア,
    医療, 医用, ライフサイエンス
biotech | biotechnology | バイオテクノロジー | biotech, biotechnology, biotechs | バイオテクノロジー, バイオ企業,
    バイオテック, バイオベンチャー
# business
equipment | production equipment | 製造装置 | equipment, machinery, tool*, production line*, industrial machinery,
    plant engineering, machine, machines | 装置, 設備, 製造ライン, 機械, 機器
aerospace | aerospace | 航空宇宙 | aerospace, aircraft, aviation | 航空宇宙, 航空機, 航空
industrial | industrial | 産業用 | industrial | 産業用, 工業用, 産業
traceability | traceability | トレーサビリティ | traceab*, provenance, chain of custody, origin | トレーサビリティ,
    追跡, 産地
low_carbon | low carbon | 低炭素 | low-carbon, low carbon, carbon footprint, decarboni*, green, greenhouse gas*, ghg,
    co2 emission* | 低炭素, カーボンフットプリント, 脱炭素, グリーン
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
volume | volumes | 数量 | volume*, tonne*, tons, tpa, capacity, scale, high-volume | 数量, トン, 生産能力, 規模,
    大量生産
investment | investment | 出資 | invest*, equity, funding, capital, investor*, stake, stakes, earn-in, farm-in,
    co-invest*, co-fund* | 出資, 投資, 資金, 権益, 戦略投資, 共同投資
joint_venture | joint venture | 合弁事業 | joint venture*, jv | 合弁
rnd | R&D | 研究開発 | r&d, research, co-develop*, joint development, co-development, development partner*,
    joint research | 研究開発, 共同研究, 共同開発, 研究, 研究機関
licensing | licensing | ライセンス | licen*, lizenz*, in-licens*, out-licens*, licence*, license*, licensee*,
    licensor* | ライセンス, 実施許諾, 導出, 導入品, ライセンス供与, 販売権, 開発権, 権利
tech_transfer | technology transfer | 技術移転 | technology transfer, know-how | 技術移転, ノウハウ
distribution | distribution | 販売代理 | distribut*, reseller*, sales channel*, sales network*, dealer*,
    dealer network* | 販売代理, 代理店, 販売網, 販路, 販売チャネル
joint_procurement | joint procurement | 共同調達 | joint procurement, joint purchasing, pooled purchasing | 共同調達,
    共同購入 | purchase
partner | partnership | 提携 | partner* | パートナー, 提携, 協業
market_entry | market entry | 市場参入 | market entry, market access, expansion, foothold | 市場参入, 進出, 参入,
    足がかり, 海外展開
pilot | pilot | 実証 | pilot*, demonstration | パイロット, 実証
scale_up | scale-up | スケールアップ | scale-up, scale up, scaling, mass production, volume production, mass-produc*,
    mass produc* | スケールアップ, 量産 | manufacturing
manufacturing | manufacturing | 製造 | manufactur*, production, produce, produces, producer*, maker*,
    fabricat* | 製造, 生産, メーカー
upstream | upstream | 上流 | upstream | 上流
downstream | downstream | 下流 | downstream | 下流
ai | AI | AI | ai, artificial intelligence, machine learning, in silico | 人工知能, 機械学習, インシリコ
platform | platform technology | プラットフォーム技術 | platform*, modalit* | プラットフォーム, 基盤技術, モダリティ,
    技術基盤
data | data | データ | data, dataset*, real-world | データ, 実使用データ, 市場データ
testing | test and measurement | 試験・計測 | testing, test system*, test bench*, test stand*, test equipment,
    test solution*, tester*, measurement*, measuring, instrument*, analyser*, analyzer*, inspection, end-of-line,
    assay*, laborator*, metrology | 計測, 測定, テスター, アナライザ, アナライザー, 試験, 検査, 電力計, 試験所,
    検査機関, 分析機関, ラボ
commercial | sales and marketing | 販売・営業 | commercialis*, commercializ*, marketing, marketed, sales force*,
    field force*, co-promot*, co-market*, sell, selling, sales | 販売, 営業, 商業化, 上市, 営業力, 販売体制, 営業体制
acquisition | acquisitions | 買収 | acquisition*, acquire*, m&a, merger*, takeover* | 買収, M&A, 合併
engineering | engineering | エンジニアリング | engineering, system integrat*, integrator* | エンジニアリング,
    システムインテグレーター, 設計
infrastructure | infrastructure | インフラ | infrastructure | インフラ, 社会インフラ
software | software and simulation | ソフトウェア | software, simulation*, digital | ソフトウェア, シミュレーション,
    デジタル
standards | standards | 標準規格 | standards, standardis*, standardiz*, interoperab*, common standard*,
    industry standard* | 標準, 標準化, 国際標準, 共通規格, 標準規格, 規格化
automation | automation and robots | 自動化・ロボット | automation, automated, robot*, robotic* | 自動化, ロボット
international | international | 海外 | international*, overseas, abroad, worldwide, global, globally, world | 海外,
    国外, 国際, グローバル, 世界, 国内外
cost | cost competitiveness | コスト競争力 | cost, costs, cost-competitive, low-cost, cost reduction,
    efficiency | コスト, コスト競争力, 低コスト, 効率, 効率化
# places
japan | Japan | 日本 | japan, japanese | 日本, 国内
europe | Europe | 欧州 | europe, european, eu | 欧州, ヨーロッパ, EU
asia | Asia | アジア | asia, asian, asean, southeast asia*, south-east asia* | アジア, ASEAN, 東南アジア
us | United States | 米国 | united states, america, american, north america*, the us, us market*,
    us subsidiar* | 米国, アメリカ, 北米
china | China | 中国 | china, chinese | 中国
"""

SECTORS = ("minerals", "batteries", "biotech")
"""Sections whose concepts decide ambiguous words; business words and places do not."""


@dataclass(frozen=True)
class Concept:
    id: str
    label_en: str
    label_ja: str
    forms_en: tuple[str, ...]
    forms_ja: tuple[str, ...]
    sector: str
    implies: tuple[str, ...] = ()


def _split(forms: str) -> tuple[str, ...]:
    return tuple(f.strip() for f in forms.split(",") if f.strip())


def _parse(table: str) -> dict[str, Concept]:
    concepts: dict[str, Concept] = {}
    sector = ""
    # A line ending in a comma goes on in the next one.
    for line in table.strip().replace(",\n", ", ").splitlines():
        if line.startswith("#"):
            sector = line.lstrip("# ").strip()
            continue
        cid, en, ja, forms_en, forms_ja, *implied = (part.strip() for part in line.split("|"))
        if cid in concepts:
            raise ValueError(f"duplicate concept {cid!r} in the glossary")
        concepts[cid] = Concept(cid, en, ja, _split(forms_en), _split(forms_ja), sector, _split(",".join(implied)))
    unknown = {i for c in concepts.values() for i in c.implies} - set(concepts)
    if unknown:
        raise ValueError(f"implied concepts not in the glossary: {sorted(unknown)}")
    return concepts


CONCEPTS: dict[str, Concept] = _parse(_TABLE)

# Latin letters and digits incl. accented ones; \b would treat kanji as word characters and
# miss "ev" in "ev向け".
_LATIN = "a-z0-9&\u00c0-\u024f"
_IS_LATIN = re.compile(f"[{_LATIN}]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u30fb/,;:()（）、。・]+")
# How a latin form may end: any word ending (*) or not inside a longer latin word (L).
_ENDS = {"*": f"[{_LATIN}]*", "L": f"(?![{_LATIN}])"}


def normalize(text: str) -> str:
    """Lower case, and one space for any run of spaces, hyphens or punctuation. Text that is not
    ASCII is NFKC-normalized first (full-width latin and half-width katakana become the usual
    characters) and its typographic apostrophes become plain ones."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    return _SEPARATORS.sub(" ", text.lower())


NOTHING = ""
"""The other reading of a contextual form (``?``): no concept, the words stay residue."""


@dataclass(frozen=True)
class _Form:
    concept: str
    literal: str
    """Normalized, without the trailing ``*``."""
    latin: bool
    wildcard: bool


@lru_cache(maxsize=1)
def _forms() -> tuple[_Form, ...]:
    forms = []
    for concept in CONCEPTS.values():
        for form in dict.fromkeys(concept.forms_en + concept.forms_ja):
            literal = normalize(form.lstrip("?").rstrip("*")).strip()
            latin, wildcard = bool(_IS_LATIN.match(literal)), form.endswith("*")
            forms.append(_Form(concept.id, literal, latin, wildcard))
            if form.startswith("?"):  # contextual: "nothing" is the other reading
                forms.append(_Form(NOTHING, literal, latin, wildcard))
    return tuple(forms)


GUARD_FROM = 3
"""Trie nodes with more branches than this get a first-character lookahead."""


def _trie_regex(entries: Iterable[tuple[str, str]]) -> str:
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
    branches += [_ENDS[end] for end in ("*", "L") if end in node.get("", {})]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


@lru_cache(maxsize=1)
def _latin_pattern() -> re.Pattern[str]:
    """One pattern for every latin form, captured as a whole so that split() returns text and
    spans in turn, in one pass."""
    entries = [(f.literal, "*" if f.wildcard else "L") for f in _forms() if f.latin]
    return re.compile(f"((?<![{_LATIN}]){_trie_regex(entries)})")


@lru_cache(maxsize=1)
def _latin_forms() -> dict[str, tuple[tuple[str, int, re.Pattern[str]], ...]]:
    """First character -> (concept, literal length, whole-span pattern) of each latin form."""
    by_first: dict[str, list[tuple[str, int, re.Pattern[str]]]] = {}
    for f in _forms():
        if f.latin:
            pattern = re.compile(re.escape(f.literal) + (f"[{_LATIN}]*" if f.wildcard else ""))
            by_first.setdefault(f.literal[0], []).append((f.concept, len(f.literal), pattern))
    return {first: tuple(entries) for first, entries in by_first.items()}


def _most_specific(candidates: Iterable[tuple[str, int]]) -> tuple[str, ...]:
    """The concepts of the longest literal among forms matching the same words (usually one;
    several when the words are ambiguous)."""
    best: dict[str, int] = {}
    for concept, length in candidates:
        best[concept] = max(length, best.get(concept, 0))
    top = max(best.values(), default=0)
    return tuple(sorted(c for c, length in best.items() if length == top))


@lru_cache(maxsize=65536)
def _span_concepts(span: str) -> tuple[str, ...]:
    """The concept (or the ambiguous concepts) of one latin span the pattern matched."""
    entries = _latin_forms().get(span[0], ())
    return _most_specific((concept, length) for concept, length, pattern in entries if pattern.fullmatch(span))


@dataclass(frozen=True)
class _JapaneseForms:
    sequences: dict[tuple[str, ...], tuple[str, ...]]
    """Normalized word sequence of a form -> its concepts (more than one: ambiguous)."""
    sizes: dict[str, tuple[int, ...]]
    """First word of a form -> the lengths (in words) of the forms it starts, longest first."""
    katakana: dict[str, tuple[str, ...]]
    """One-word katakana forms (as written and normalized) -> concepts, to split compounds."""


@lru_cache(maxsize=1)
def _japanese_forms() -> _JapaneseForms:
    sequences: dict[tuple[str, ...], set[str]] = {}
    katakana: dict[str, set[str]] = {}
    for f in _forms():
        if f.latin:
            continue
        words = japanese.forms(f.literal)
        sequences.setdefault(words, set()).add(f.concept)
        if len(words) == 1 and japanese.KATAKANA_WORD.fullmatch(f.literal):
            for key in {f.literal, words[0]}:
                katakana.setdefault(key, set()).add(f.concept)
    sizes: dict[str, set[int]] = {}
    for words in sequences:
        sizes.setdefault(words[0], set()).add(len(words))
    return _JapaneseForms(
        {k: tuple(sorted(v)) for k, v in sequences.items()},
        {k: tuple(sorted(v, reverse=True)) for k, v in sizes.items()},
        {k: tuple(sorted(v)) for k, v in katakana.items()},
    )


def _split_katakana(word: str, known: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]] | None:
    """The concepts of a katakana compound covered entirely by one-word glossary forms, fewest
    parts first (セルメーカー: セル + メーカー), else None."""
    best: list[list[tuple[str, ...]] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(end - 1):  # parts of two characters or more
            head, part = best[start], known.get(word[start:end])
            if head is not None and part is not None and (best[end] is None or len(head) + 1 < len(best[end])):  # type: ignore[arg-type]
                best[end] = [*head, part]
    return best[-1]


_Hit = tuple[tuple[str, ...], str, tuple[str, ...]]
"""Candidate concepts of one match, and its words for the residue should it stay unresolved:
(concepts, latin text, Japanese residue words)."""


@lru_cache(maxsize=1 << 16)
def _match_japanese(piece: str) -> tuple[tuple[_Hit, ...], str, tuple[str, ...]]:
    """Glossary matches of a piece of Japanese text (no spaces), the latin words left over and the
    Japanese content words left over (normalized forms)."""
    glossary = _japanese_forms()
    words = japanese.words(piece)
    forms = tuple(word.form for word in words)
    hits: list[_Hit] = []
    latin: list[str] = []
    residue: list[str] = []
    joined = False  # the last residue word is katakana, which the next katakana word continues
    i = 0
    while i < len(words):
        for size in glossary.sizes.get(forms[i], ()):
            concepts = glossary.sequences.get(forms[i : i + size])
            if concepts:
                hits.append((concepts, "", tuple(w.form for w in words[i : i + size] if w.content)))
                i += size
                joined = False
                break
        else:
            word = words[i]
            katakana = japanese.KATAKANA_WORD.fullmatch(word.surface) is not None
            parts = _split_katakana(word.surface, glossary.katakana) if katakana else None
            if parts:
                hits += [(concepts, "", ()) for concepts in parts]
            elif word.surface.isascii():
                latin.append(word.form)
            elif word.content and katakana and joined:
                # Sudachi cuts katakana terms it does not know (スフィンゴミエリン -> スフィンゴ /
                # ミエリン): as a feature and as a cited term, the whole word is what firms wrote.
                residue[-1] += word.form
            elif word.content:
                residue.append(word.form)
            joined = bool(word.content and katakana and not parts)
            i += 1
    return tuple(hits), " ".join(latin), tuple(residue)


@dataclass(frozen=True)
class ConceptMatch:
    concepts: tuple[str, ...]
    """Concept ids found (each followed by those it implies), in order of first appearance, each once."""
    residue: str
    """The normalized latin text that no form matched, for the language-specific features."""
    words: tuple[str, ...] = ()
    """Japanese content words that no form matched (normalized forms), in order."""


def find_concepts(text: str) -> ConceptMatch:
    """Concepts in a text of any of our languages, and what is left once they are cut out."""
    normalized = normalize(text)
    pieces = _latin_pattern().split(normalized)  # text, span, text, span, ..., text
    if not japanese.has_japanese(normalized):  # most texts: the spans are all there is to match
        spans = list(map(_span_concepts, pieces[1::2]))
        if all(len(concepts) == 1 for concepts in spans):
            expansions = _expansions()
            found = dict.fromkeys(chain.from_iterable(expansions[concepts[0]] for concepts in spans))
            return ConceptMatch(tuple(found), " ".join(pieces[0::2]))
    hits: list[_Hit] = []
    latin: list[str] = []
    words: list[str] = []
    for i, piece in enumerate(pieces):
        if i % 2:
            hits.append((_span_concepts(piece), piece, ()))
        elif not japanese.has_japanese(piece):
            latin.append(piece)
        else:
            for chunk in piece.split():
                chunk_hits, left, residue = _match_japanese(chunk)
                hits += chunk_hits
                latin.append(left)
                words += residue
    return ConceptMatch(_resolve(hits, latin, words), " ".join(latin), tuple(words))


@lru_cache(maxsize=1)
def _expansions() -> dict[str, tuple[str, ...]]:
    """Concept -> itself and the concepts it implies."""
    return {c.id: (c.id, *c.implies) for c in CONCEPTS.values()}


def _resolve(hits: list[_Hit], latin: list[str], words: list[str]) -> tuple[str, ...]:
    """The concepts of the hits in order, with what they imply. An ambiguous hit takes the
    candidate whose sector has most unambiguous concepts in the text; on a tie its words go back
    to the residue (latin and words are extended)."""
    expansions = _expansions()
    if all(len(concepts) == 1 for concepts, _, _ in hits):  # most texts
        return tuple(dict.fromkeys(c for concepts, _, _ in hits for c in expansions[concepts[0]]))
    context = Counter(CONCEPTS[c[0]].sector for c, _, _ in hits if len(c) == 1)

    def weight(concept: str) -> float:
        # A reading outside the sectors (a business word, or nothing) stands when no sector of the
        # other readings has evidence in the text.
        sector = CONCEPTS[concept].sector if concept else ""
        return context[sector] if sector in SECTORS else 0.5

    found: dict[str, None] = {}
    for concepts, text, residue in hits:
        if len(concepts) > 1:
            votes = sorted(((weight(c), c) for c in concepts), reverse=True)
            if votes[0][0] == 0 or votes[0][0] == votes[1][0] or votes[0][1] == NOTHING:
                latin.append(text)
                words += residue
                continue
            concepts = (votes[0][1],)
        found.update(dict.fromkeys(expansions[concepts[0]]))
    return tuple(found)


def label(concept_id: str, language: str = "en") -> str:
    concept = CONCEPTS[concept_id]
    return concept.label_ja if language == "ja" else concept.label_en
