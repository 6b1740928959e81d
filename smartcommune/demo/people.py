"""The data behind `manage.py seed_demo`: a believable Điện Biên province for demonstrations.

What is real and what is not
----------------------------
* Commune and ward names are real, each with the sources that confirm it (URLs below). Since
  1 July 2025 (Resolution 1661/NQ-UBTVQH15 of 16/06/2025) Điện Biên has 45 commune-level units:
  42 xã and 3 phường.
* Mường Đun and Phìn Hồ are real communes, but they existed only until 30/06/2025: they are not among
  the 45 units of Resolution 1661 (the post-merger list with the codes of Decision 19/2025/QĐ-TTg has
  neither). They are kept, flagged `former=True`, because the issue, DESIGN.md and the test fixtures
  name them. Drop them here if the demo must show only the current map.
* Village names (thôn, bản, tổ dân phố) are real where `villages_source` names a source; those lists
  date from before the 2025 merger and some bản may since have been merged or renamed. Where no name
  could be confirmed the villages carry neutral numbered names ("Bản số 1", "Tổ dân phố số 1",
  ...), like the numbered tổ dân phố of the real lists; `villages_real=False` marks them.
* Agency electronic identifiers (mã định danh) are demo values in the 13-character format
  NNN.NN.NN.XNN of Decision 20/2020/QĐ-TTg (DOMAIN.md §2.3); the real post-2025 codes are not used.
* Every person and business is fictitious: names are drawn from common Thái, H'Mông and Kinh family
  and given names, identification numbers are well-formed but random, tax codes are invented.
"""

from dataclasses import dataclass

from smartcommune.core.text import fold
from smartcommune.directory.choices import OrgUnitKind

# --- sources ------------------------------------------------------------------------------------
SOURCES = {
    # Ministry of Home Affairs: the Government's proposal, 45 units (42 xã, 3 phường), items 1-3.
    "moha": "https://moha.gov.vn/nhiem-vu-trong-tam/dien-bien-sau-sap-xep-du-kien-con-45-don-vi-hanh-c-d943-t57188.html",
    # Provincial People's Council resolution, May 2025: composition of Mường Nhé ... Nà Hỳ.
    "danviet": "https://trangtraiviet.danviet.vn/dien-bien-thong-qua-nghi-quyet-sap-xep-don-vi-hanh-chinh-cap-xa-d1328120.html",
    # Nhân Dân, 30/06/2025: Resolution 1661/NQ-UBTVQH15, 45 units in force from 1/7/2025.
    "nhandan": "https://nhandan.vn/ocop/dien-bien-cong-bo-nghi-quyet-cua-quoc-hoi-ve-thanh-lap-45-don-vi-hanh-chinh-cap-xa-post890649.html",
    "vreview_muongnhe": "https://vreview.vn/muong-nhe-dien-bien",
    # Aggregator page (lower confidence): composition of the new xã Chiềng Sinh.
    "chiengsinh": "https://boingaysinh.com/?p=14063",
    # English Wikipedia, citing Resolution 1661: composition of phường Điện Biên Phủ.
    "wiki_dienbienphu": "https://en.wikipedia.org/wiki/Him_Lam",
    # Mirror of English Wikipedia, citing Resolution 1661: composition of the new xã Mường Chà.
    "wiki_muongcha": "https://tipedream.netlify.app/wiki/Mường_Chà",
    # The ward's own portal (post-2025 domain) and the former town's units.
    "muonglay_portal": "https://phuongmuonglay.dienbien.gov.vn/TINTUC/?PageIndex=41",
    "muonglay_town": "http://www.dienbien.gov.vn/portal/pages/print.aspx?p=13842",
    # Tổ dân phố and bản of former phường Na Lay after Decision 885/QĐ-UBND (19/09/2019).
    "nalay_2019": "http://muonglay.dienbien.gov.vn/TINTUC/view/Phuong-Na-Lay-cong-bo-Quyet-dinh-sap-nhap-doi-ten-cac-ban-to-dan-pho?PageIndex=6",
    # Trade-union news on Decision 46 (2026-2030 zones): names phường Điện Biên Phủ and Mường Thanh.
    "congdoan_zones": "https://es.congdoanvietnam.vn/thoi-su/dien-bien-co-45-xa-phuong-thi-38-don-vi-dac-biet-kho-khan-23129.tld",
    # Public dataset listing the 45 units with their Decision 19/2025/QĐ-TTg codes (OSM boundary
    # script, "Quto-AI-Dien-Bien-weather-map"): confirms names, shows Mường Đun/Phìn Hồ are gone.
    "dataset_45_units": "public repository script listing the 45 post-2025 units of Điện Biên (codes per QĐ 19/2025)",
    # Bản Hột, bản Kép, bản Đun of xã Mường Đun (Tủa Chùa district portal, 27/02/2025).
    "muongdun_ban": "https://huyentuachua.dienbien.gov.vn/TinTuc/View/Xa-Muong-Dun-to-chuc-cong-bo-quyet-dinh-thon-ban-dat-chuan-nong-thon-moi-nam-2024?PageIndex=3",
    # Bản of former xã Mường Thín (now in xã Chiềng Sinh), Vietnamese Wikipedia mirror, 2022 data.
    "muongthin_ban": "https://wiki.mar.io.vn/vi/Mường_Thín",
    # Bản Ta Cơn of former xã Chiềng Sinh (Decision 1338/QĐ-UBND of 27/12/2019).
    "chiengsinh_ban": "https://www.chanhvanphong.com/2022/08/sap-nhap-doi-ten-cac-ban-khoi-pho-huyen-tuan-giao.html",
    # Bản of former xã Mường Mùn, Vietnamese Wikipedia mirror, 2022 data.
    "muongmun_ban": "https://defzone.net/wiki/Mường_Mùn",
    # Phìn Hồ as a commune of Nậm Pồ district (code 03198) until 2025: pre-2025 unit lists.
    "phinho_pre2025": "public datasets of the pre-2025 units (Huyện Nậm Pồ: ... Xã Phìn Hồ, Xã Si Pa Phìn)",
}


@dataclass(frozen=True)
class Village:
    name: str
    kind: str


@dataclass(frozen=True)
class Commune:
    """A commune-level unit of the demo. `number` fixes its demo code and never changes."""

    number: int
    name: str
    kind: str
    note: str
    sources: tuple[str, ...]
    villages: tuple[Village, ...]
    villages_real: bool
    villages_source: tuple[str, ...] = ()
    former: bool = False
    # Weights of Thái, H'Mông and Kinh names among its people: illustrative, not census data.
    name_mix: tuple[int, int, int] = (4, 4, 2)

    @property
    def short_name(self) -> str:
        """'Mường Đun' for 'Xã Mường Đun'."""
        return self.name.split(" ", 1)[1]

    @property
    def slug(self) -> str:
        """ASCII key for usernames: 'muongdun' (motcua.muongdun)."""
        return fold(self.short_name).replace(" ", "")

    @property
    def place(self) -> str:
        """'xã Mường Đun' / 'phường Mường Lay', as written inside an address."""
        return self.name[0].lower() + self.name[1:]


def _bans(*names: str) -> tuple[Village, ...]:
    return tuple(Village(f"Bản {n}", OrgUnitKind.HAMLET) for n in names)


def _numbered_bans(count: int) -> tuple[Village, ...]:
    return tuple(Village(f"Bản số {i}", OrgUnitKind.HAMLET) for i in range(1, count + 1))


def _numbered_groups(count: int) -> tuple[Village, ...]:
    return tuple(Village(f"Tổ dân phố số {i}", OrgUnitKind.RESIDENTIAL_GROUP) for i in range(1, count + 1))


COMMUNES: tuple[Commune, ...] = (
    Commune(
        1, "Xã Mường Đun", OrgUnitKind.COMMUNE,
        note=(
            "Former commune of Tủa Chùa district (code 03247), a commune until 30/06/2025. Not among "
            "the 45 units of Resolution 1661/NQ-UBTVQH15; one unverified dataset places it in the new "
            "xã Sáng Nhè (with Xá Nhè and Phình Sáng). Kept because the issue and DESIGN.md name it."
        ),
        sources=("muongdun_ban", "dataset_45_units"),
        villages=_bans("Hột", "Kép", "Đun"),
        villages_real=True,
        villages_source=("muongdun_ban",),
        former=True,
        name_mix=(2, 7, 1),
    ),
    Commune(
        2, "Xã Phìn Hồ", OrgUnitKind.COMMUNE,
        note=(
            "Former commune of Nậm Pồ district (code 03198), a commune until 30/06/2025. Not among "
            "the 45 units of Resolution 1661/NQ-UBTVQH15; one unverified dataset places it in the new "
            "xã Si Pa Phìn. Kept because the issue and DESIGN.md name it. Bản names not found."
        ),
        sources=("phinho_pre2025", "dataset_45_units"),
        villages=_numbered_bans(4),
        villages_real=False,
        former=True,
        name_mix=(1, 8, 1),
    ),
    Commune(
        3, "Xã Mường Nhé", OrgUnitKind.COMMUNE,
        note="Merged from xã Mường Nhé, xã Nậm Vì and xã Chung Chải (Resolution 1661/NQ-UBTVQH15).",
        sources=("moha", "danviet", "vreview_muongnhe"),
        villages=_numbered_bans(5),
        villages_real=False,
        name_mix=(3, 4, 3),
    ),
    Commune(
        4, "Xã Sín Thầu", OrgUnitKind.COMMUNE,
        note="Merged from xã Sín Thầu, xã Sen Thượng and xã Leng Su Sìn (seat: former Leng Su Sìn).",
        sources=("moha", "danviet"),
        villages=_numbered_bans(4),
        villages_real=False,
        name_mix=(1, 8, 1),
    ),
    Commune(
        5, "Xã Mường Toong", OrgUnitKind.COMMUNE,
        note="Merged from xã Mường Toong and xã Huổi Lếch.",
        sources=("moha", "danviet"),
        villages=_numbered_bans(4),
        villages_real=False,
        name_mix=(4, 4, 2),
    ),
    Commune(
        6, "Xã Nậm Kè", OrgUnitKind.COMMUNE,
        note="Merged from xã Nậm Kè and xã Pá Mỳ.",
        sources=("danviet", "dataset_45_units"),
        villages=_numbered_bans(3),
        villages_real=False,
        name_mix=(2, 7, 1),
    ),
    Commune(
        7, "Xã Quảng Lâm", OrgUnitKind.COMMUNE,
        note="Merged from xã Quảng Lâm and xã Na Cô Sa.",
        sources=("danviet", "dataset_45_units"),
        villages=_numbered_bans(3),
        villages_real=False,
        name_mix=(1, 8, 1),
    ),
    Commune(
        8, "Xã Nà Hỳ", OrgUnitKind.COMMUNE,
        note="Merged from xã Nà Hỳ, xã Nà Khoa, xã Nậm Nhừ and xã Nậm Chua.",
        sources=("danviet", "nhandan", "dataset_45_units"),
        villages=_numbered_bans(4),
        villages_real=False,
        name_mix=(2, 7, 1),
    ),
    Commune(
        9, "Xã Chiềng Sinh", OrgUnitKind.COMMUNE,
        note="Merged from xã Chiềng Sinh, xã Nà Sáy, xã Mường Thín and xã Mường Khong (aggregator source).",
        sources=("chiengsinh", "dataset_45_units"),
        villages=_bans("Ta Cơn", "Thín A", "Thín B", "Hốc Chứn", "Đông Liếng"),
        villages_real=True,
        villages_source=("chiengsinh_ban", "muongthin_ban"),
        name_mix=(7, 2, 1),
    ),
    Commune(
        10, "Xã Mường Chà", OrgUnitKind.COMMUNE,
        note="Merged from xã Chà Cang, xã Chà Nưa, xã Nậm Tin and xã Pa Tần (Resolution 1661, via Wikipedia).",
        sources=("wiki_muongcha", "dataset_45_units"),
        villages=_numbered_bans(4),
        villages_real=False,
        name_mix=(4, 5, 1),
    ),
    Commune(
        11, "Xã Mường Mùn", OrgUnitKind.COMMUNE,
        note=(
            "A post-2025 commune (code 03268 in the QĐ 19/2025 list). Its merged communes were not "
            "confirmed in the sources consulted. Bản names are those of the former xã Mường Mùn."
        ),
        sources=("dataset_45_units",),
        villages=_bans("Gia Bọp", "Huổi Cáy", "Lim", "Nà Chua", "Ta Pao", "Xuân Tươi"),
        villages_real=True,
        villages_source=("muongmun_ban",),
        name_mix=(6, 3, 1),
    ),
    Commune(
        12, "Phường Điện Biên Phủ", OrgUnitKind.WARD,
        note=(
            "Merged from phường Him Lam, Mường Thanh, Tân Thanh, Thanh Bình, Thanh Trường and xã Thanh "
            "Minh of the former Điện Biên Phủ city (Resolution 1661, via Wikipedia)."
        ),
        sources=("wiki_dienbienphu", "congdoan_zones", "dataset_45_units"),
        villages=_numbered_groups(5),
        villages_real=False,
        name_mix=(4, 1, 5),
    ),
    Commune(
        13, "Phường Mường Thanh", OrgUnitKind.WARD,
        note="A post-2025 ward (code 03334 in the QĐ 19/2025 list); its merged units were not confirmed.",
        sources=("congdoan_zones", "dataset_45_units"),
        villages=_numbered_groups(4),
        villages_real=False,
        name_mix=(5, 1, 4),
    ),
    Commune(
        14, "Phường Mường Lay", OrgUnitKind.WARD,
        note=(
            "A post-2025 ward on the territory of the former thị xã Mường Lay (phường Na Lay, phường "
            "Sông Đà, xã Lay Nưa); that exactly these units were merged is not confirmed."
        ),
        sources=("muonglay_portal", "muonglay_town", "dataset_45_units"),
        villages=(
            Village("Tổ dân phố 2", OrgUnitKind.RESIDENTIAL_GROUP),
            Village("Tổ dân phố 3", OrgUnitKind.RESIDENTIAL_GROUP),
            Village("Tổ dân phố 4", OrgUnitKind.RESIDENTIAL_GROUP),
            Village("Bản Hốc", OrgUnitKind.HAMLET),
            Village("Bản Nậm Cản", OrgUnitKind.HAMLET),
        ),
        villages_real=True,
        villages_source=("nalay_2019",),
        name_mix=(6, 2, 2),
    ),
)  # fmt: skip

PROVINCE_NAME = "Tỉnh Điện Biên"
PROVINCE_PLACE = "tỉnh Điện Biên"  # inside an address
# Province bodies shown in the tree (names of real bodies; codes are demo values).
DEPARTMENTS: tuple[tuple[int, str], ...] = ((1, "Văn phòng UBND tỉnh"), (2, "Sở Tư pháp"))
SERVICE_CENTRE_NAME = "Trung tâm Phục vụ hành chính công"

# --- people -------------------------------------------------------------------------------------
# Common family and given names; combinations are random, so any likeness to a person is chance.
THAI_SURNAMES = ("Lò", "Quàng", "Lường", "Cà", "Tòng", "Lù", "Điêu", "Bạc", "Cầm", "Vì")
HMONG_SURNAMES = ("Giàng", "Thào", "Vàng", "Sùng", "Mùa", "Lý", "Hờ", "Lầu", "Vừ", "Tráng")
KINH_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đỗ", "Vũ", "Bùi")

THAI_MALE = (
    "Văn Thắng",
    "Văn Hùng",
    "Văn Tiến",
    "Văn Chung",
    "Văn Xôm",
    "Văn Ngoan",
    "Văn Phong",
    "Văn Dũng",
)
THAI_FEMALE = ("Thị Hương", "Thị Mai", "Thị Ngọc", "Thị Thu", "Thị Xuân", "Thị Lan", "Thị Hoa", "Thị Phương")
HMONG_MALE = ("A Páo", "A Sử", "A Dình", "A Lử", "A Chứ", "A Chống", "A Tủa", "A Cở", "A Giống", "A Sình")
HMONG_FEMALE = ("Thị Mỷ", "Thị Dợ", "Thị Sua", "Thị Và", "Thị Chở", "Thị Dua", "Thị Ly", "Thị Mai")
KINH_MALE = ("Văn Hải", "Đức Long", "Minh Tuấn", "Văn Nam", "Quang Huy", "Đình Khoa")
KINH_FEMALE = ("Thị Thảo", "Thị Hạnh", "Thùy Linh", "Thị Hà", "Thu Trang", "Ngọc Ánh")

NAME_POOLS = (
    (THAI_SURNAMES, THAI_MALE, THAI_FEMALE),
    (HMONG_SURNAMES, HMONG_MALE, HMONG_FEMALE),
    (KINH_SURNAMES, KINH_MALE, KINH_FEMALE),
)

# Birth-registration province codes of the personal identification number (Circular 07/2016/TT-BCA):
# 011 Điện Biên for most residents, a few born elsewhere.
HOME_PROVINCE_CODE = "011"
OTHER_PROVINCE_CODES = ("012", "014", "001", "036")  # Lai Châu, Sơn La, Hà Nội, Nam Định

MOBILE_PREFIXES = ("098", "097", "096", "086", "091", "094", "088", "035", "036", "038", "039", "081")

CITIZEN_TARGET = 320
CITIZEN_ACCOUNTS = 20

# The citizen whose login is printed. Fictitious; the number is well-formed (011 = Điện Biên,
# 1 = female born in the 1900s, 95 = 1995).
DEMO_CITIZEN = {
    "personal_id": "011195012345",
    "full_name": "Lò Thị Hương",
    "date_of_birth": (1995, 3, 8),
    "phone": "0912345678",
    "commune": 1,  # Xã Mường Đun
    "village": "Bản Đun",
}


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    kind: str
    commune: int
    tax_code_serial: int | None = None  # 7 digits after the province prefix 56; None: no tax code
    representative_index: int = 0  # which resident of the commune represents it


# Invented businesses. Enterprise tax codes: "56" (Điện Biên tax-office prefix) + 7 digits + a check
# digit. Household businesses carry no tax code here: since 1 July 2025 they use the owner's personal
# identification number (Circular 86/2024/TT-BTC), which the 10-digit format check does not accept.
ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec("Hợp tác xã Nông nghiệp Mường Đun", "cooperative", 1, tax_code_serial=1902051),
    OrganisationSpec("Hợp tác xã Chè Shan tuyết Sín Thầu", "cooperative", 4, tax_code_serial=1902087, representative_index=1),
    OrganisationSpec("Công ty TNHH Dịch vụ số Bản Mường", "enterprise", 12, tax_code_serial=1903112),
    OrganisationSpec("Hộ kinh doanh Tạp hóa Chiềng Sinh", "household_business", 9, representative_index=2),
    OrganisationSpec("Hộ kinh doanh Sửa chữa xe máy Nà Hỳ", "household_business", 8, representative_index=3),
    OrganisationSpec("Hộ kinh doanh Quán cơm Mường Lay", "household_business", 14, representative_index=1),
)  # fmt: skip

# --- accounts and two-factor ----------------------------------------------------------------------
# Public by design: printed on every `make run`. Never seed a production database with these.
DEMO_PASSWORD = "dienbien-demo-2026"  # noqa: S105 - public on purpose (see above)
# RFC 6238's test key ("12345678901234567890"), so that any authenticator app can be checked against
# the RFC's published values. Base32: GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
DEMO_BACKUP_CODES = (
    "20260101", "20260202", "20260303", "20260404", "20260505",
    "20260606", "20260707", "20260808", "20260909", "20261010",
)  # fmt: skip

# Commune roles in the order they are printed, with username prefix, position and title.
# `{kind}` becomes "xã" or "phường", `{name}` the unit's name without its kind, `{economy_office}` the
# commune's "Phòng Kinh tế" or the ward's "Phòng Kinh tế, Hạ tầng và Đô thị" (the 2025 offices of a
# commune-level People's Committee; titles are illustrative).
COMMUNE_STAFF: tuple[tuple[str, str, str, str], ...] = (
    ("one_stop_officer", "motcua", "civil_servant", "Công chức Trung tâm Phục vụ hành chính công"),
    ("specialist", "chuyenvien1", "specialist", "Chuyên viên Phòng Văn hóa - Xã hội"),
    ("specialist", "chuyenvien2", "specialist", "Chuyên viên {economy_office}"),
    ("commune_leader", "lanhdao", "chairman", "Chủ tịch UBND {kind} {name}"),
    ("clerk", "vanthu", "clerk", "Văn thư Văn phòng HĐND và UBND"),
    ("community_member", "tocnscd", "team_member", "Thành viên Tổ công nghệ số cộng đồng"),
)
