"""The real commune-level procedure catalog (TTHC cấp xã) after the 2025 two-tier reform.

Source: DOMAIN.md §6.2 (fees) and §7 (codes, time limits, components), which cite the laws. Where
DOMAIN.md tags a value [U] (unconfirmed), or where a value comes from general knowledge of the
national database rather than from DOMAIN.md, the line says so with "[U]": such values are data a
province administrator corrects in the catalog admin or by Excel import, never constants.

Fees set by the Provincial People's Council (lệ phí hộ tịch, hộ kinh doanh: Circular 85/2019/TT-BTC)
differ by province; the amounts below are typical commune-level amounts [U] to be replaced by the
province's own resolution before go-live (DOMAIN.md §12c item 8).

Internal processes: one province-wide default per procedure with the four usual steps (receive at
the one-stop unit, process, approve, return) sized to the legal time limit in working hours.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from .choices import ApplicantType, FeeKind, OnlineLevel, ResultKind, TimeLimitUnit
from .specs import (
    DEFAULT_ACCEPTED_TYPES,
    CatalogBundle,
    ComponentSpec,
    ExemptionSpec,
    FeeSpec,
    FieldSpec,
    ProcedureSpec,
    ProcessSpec,
    StepSpec,
)
from .validation import limit_hours

CITIZEN = (ApplicantType.CITIZEN,)
BOTH = (ApplicantType.CITIZEN, ApplicantType.ORGANISATION)
DAYS, HOURS, SAME_DAY = TimeLimitUnit.WORKING_DAYS, TimeLimitUnit.WORKING_HOURS, TimeLimitUnit.SAME_DAY
FULL, PARTIAL, NONE = OnlineLevel.FULL, OnlineLevel.PARTIAL, OnlineLevel.NONE
FIXED, PER_CASE, PER_PAGE = FeeKind.FIXED, FeeKind.PER_CASE, FeeKind.PER_PAGE

FIELDS = (
    FieldSpec("ho-tich", "Hộ tịch", "Civil status"),
    FieldSpec("chung-thuc", "Chứng thực", "Certification"),
    FieldSpec("cu-tru", "Đăng ký, quản lý cư trú", "Residence"),
    FieldSpec("ho-kinh-doanh", "Thành lập và hoạt động của hộ kinh doanh", "Household businesses"),
    FieldSpec("bao-tro-xa-hoi", "Bảo trợ xã hội", "Social protection"),
    FieldSpec("giam-ngheo", "Giảm nghèo", "Poverty reduction"),
    FieldSpec("hoa-giai", "Hòa giải ở cơ sở", "Grassroots mediation"),
)

# --- legal bases -----------------------------------------------------------------------------------

HO_TICH = (
    "Luật Hộ tịch số 60/2014/QH13\n"
    "Nghị định 123/2015/NĐ-CP (sửa đổi, bổ sung bởi Nghị định 07/2025/NĐ-CP)\n"
    "Thông tư 04/2020/TT-BTP"
)
CHUNG_THUC = "Nghị định 23/2015/NĐ-CP\nThông tư 01/2020/TT-BTP\nThông tư 226/2016/TT-BTC (phí chứng thực)"
CU_TRU = (
    "Luật Cư trú số 68/2020/QH14\n"
    "Nghị định 154/2024/NĐ-CP\n"
    "Thông tư 55/2021/TT-BCA (sửa đổi bởi Thông tư 66/2023/TT-BCA và 53/2025/TT-BCA)\n"
    "Thông tư 75/2022/TT-BTC (lệ phí đăng ký cư trú)"
)
# [U] the 2025 decree on enterprise registration that moved household businesses to the commune.
HO_KINH_DOANH = "Luật Doanh nghiệp 2020\nNghị định 168/2025/NĐ-CP về đăng ký doanh nghiệp [U]"

# --- fees and exemptions ---------------------------------------------------------------------------

HT_FEE_REF = "Nghị quyết của HĐND tỉnh về lệ phí hộ tịch (Thông tư 85/2019/TT-BTC) [U: mức thu cần đối chiếu]"
HT_FREE_REF = "Luật Hộ tịch 2014, Điều 11 khoản 1 điểm b"
CT_FEE_REF = "Thông tư 226/2016/TT-BTC, Điều 4"
CT_SINCE = date(2017, 1, 1)  # Circular 226/2016/TT-BTC in force (DOMAIN.md §6.2)
CU_TRU_FEE_REF = "Thông tư 75/2022/TT-BTC"

# Luật Hộ tịch art. 11(1)(a): registration is free for these people, whatever the event.
HT_PERSONAL_EXEMPTIONS = (
    ExemptionSpec(
        "revolutionary-family",
        "Người thuộc gia đình có công với cách mạng",
        "Luật Hộ tịch 2014, Điều 11 khoản 1 điểm a",
    ),
    ExemptionSpec("poor-household", "Người thuộc hộ nghèo", "Luật Hộ tịch 2014, Điều 11 khoản 1 điểm a"),
    ExemptionSpec("disability", "Người khuyết tật", "Luật Hộ tịch 2014, Điều 11 khoản 1 điểm a"),
)
ON_TIME = ExemptionSpec("on-time", "Đăng ký đúng hạn", HT_FREE_REF)
# Circular 226/2016 art. 5 (DOMAIN.md §6.2).
AGRI_LOAN = ExemptionSpec(
    "agri-loan-mortgage",
    "Hợp đồng thế chấp của hộ gia đình, cá nhân vay vốn phát triển nông nghiệp, nông thôn (Nghị định 55/2015/NĐ-CP)",
    "Thông tư 226/2016/TT-BTC, Điều 5",
)
# [U] Circular 75/2022/TT-BTC art. 4 exemption list, from general knowledge (not in DOMAIN.md).
CU_TRU_EXEMPTIONS = tuple(
    ExemptionSpec(code, reason, "Thông tư 75/2022/TT-BTC, Điều 4 [U]")
    for code, reason in (
        ("child", "Trẻ em theo quy định của Luật Trẻ em"),
        ("elderly", "Người cao tuổi"),
        ("disability", "Người khuyết tật"),
        ("revolutionary", "Người có công với cách mạng và thân nhân"),
        ("ethnic-minority", "Đồng bào dân tộc thiểu số ở xã có điều kiện kinh tế - xã hội đặc biệt khó khăn"),
        ("border-commune", "Công dân thường trú tại các xã biên giới"),
        ("poor-household", "Thành viên hộ nghèo"),
    )
)


def ht_fee(name: str, amount: int) -> FeeSpec:
    """A civil-status charge set by the Provincial People's Council [U amount]."""
    return FeeSpec(name, FIXED, amount, HT_FEE_REF)


def free(name: str, legal_ref: str = HT_FREE_REF) -> FeeSpec:
    """An explicit zero: the law exempts the procedure (it counts as fee-free for indicator 3.6)."""
    return FeeSpec(name, FIXED, 0, legal_ref)


CERTIFIED_COPY_FEE = FeeSpec(
    "Phí chứng thực bản sao từ bản chính",
    PER_PAGE,
    2_000,
    CT_FEE_REF,
    tier_pages=2,
    next_amount=1_000,
    cap=200_000,
    effective_from=CT_SINCE,
)
SIGNATURE_FEE = FeeSpec(
    "Phí chứng thực chữ ký (mỗi trường hợp)", PER_CASE, 10_000, CT_FEE_REF, effective_from=CT_SINCE
)
CONTRACT_FEE = FeeSpec(
    "Phí chứng thực hợp đồng, giao dịch (mỗi hợp đồng)", PER_CASE, 50_000, CT_FEE_REF, effective_from=CT_SINCE
)

# --- components ------------------------------------------------------------------------------------


def C(
    name: str,
    *,
    originals: int = 1,
    copies: int = 0,
    condition: str = "",
    reusable: bool = False,
    form: str = "",
    types: tuple[str, ...] = DEFAULT_ACCEPTED_TYPES,
) -> ComponentSpec:
    """A component; a `condition` makes it conditional (not mandatory). `order` is set by P()."""
    return ComponentSpec(
        order=0,
        name=name,
        originals=originals,
        copies=copies,
        is_mandatory=not condition,
        condition=condition,
        reusable=reusable,
        accepted_types=types,
        form_code=form,
    )


PROXY = C(
    "Văn bản ủy quyền theo quy định của pháp luật",
    condition="Khi người khác nộp hồ sơ thay theo ủy quyền",
)
ID_PAPER = C(
    "Giấy tờ tùy thân (Căn cước, hộ chiếu) hoặc thông tin khai thác từ Cơ sở dữ liệu quốc gia về dân cư",
    originals=0,
    copies=1,
    reusable=True,
)
# One slot for the alternatives: the model has no "one of these" groups.
BIRTH_PROOF = C(
    "Giấy chứng sinh (nếu không có: văn bản của người làm chứng hoặc giấy cam đoan về việc sinh)",
    reusable=True,
)
PROOF_OF_MARITAL_STATUS = C(
    "Giấy xác nhận tình trạng hôn nhân",
    condition="Khi người yêu cầu không thường trú tại xã nơi đăng ký",
    reusable=True,
)


def P(
    code: str,
    name: str,
    field_code: str,
    *,
    unit: str,
    amount: int = 0,
    extension: int = 0,
    online: str,
    basis: str,
    components: tuple[ComponentSpec, ...],
    fees: tuple[FeeSpec, ...] = (),
    exemptions: tuple[ExemptionSpec, ...] = (),
    fee_note: str = "",
    result: str = ResultKind.DOCUMENT,
    result_name: str = "",
    applicants: tuple[str, ...] = CITIZEN,
    life_events: tuple[str, ...] = (),
) -> ProcedureSpec:
    return ProcedureSpec(
        code=code,
        name=name,
        field_code=field_code,
        time_limit_unit=unit,
        time_limit_amount=amount,
        verification_extension_days=extension,
        online_level=online,
        applicant_types=applicants,
        life_events=life_events,
        result_kind=result,
        result_name=result_name,
        legal_basis=basis,
        fee_note=fee_note,
        components=tuple(replace(c, order=i) for i, c in enumerate(components, start=1)),
        fees=fees,
        exemptions=exemptions,
    )


# fmt: off
# --- the procedures --------------------------------------------------------------------------------

HO_TICH_PROCEDURES = (
    P(
        "1.001193", "Đăng ký khai sinh", "ho-tich",
        unit=SAME_DAY, online=FULL, basis=HO_TICH,  # Luật Hộ tịch art. 16; art. 5(3) 15:00 rule
        result_name="Giấy khai sinh (bản chính)", life_events=("birth",),
        components=(
            C("Tờ khai đăng ký khai sinh", form="Tờ khai đăng ký khai sinh"),
            BIRTH_PROOF,
            C("Biên bản xác nhận việc trẻ bị bỏ rơi", condition="Trẻ em bị bỏ rơi"),
            C("Văn bản chứng minh việc mang thai hộ", condition="Trẻ sinh ra do mang thai hộ"),
            PROXY,
        ),
        # Late registration pays the province's charge; on time it is free (art. 11(1)(b)).
        fees=(ht_fee("Lệ phí đăng ký khai sinh (quá hạn)", 5_000),),  # [U] amount
        exemptions=(ON_TIME, *HT_PERSONAL_EXEMPTIONS),
        fee_note="Miễn lệ phí khi đăng ký đúng hạn (Luật Hộ tịch Điều 11)",
    ),
    P(
        "2.000986", "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi", "ho-tich",
        # [U] DOMAIN.md gives "per component"; 5 working days covers residence registration's share.
        unit=DAYS, amount=5, online=FULL, basis=HO_TICH + "\nNghị định 63/2024/NĐ-CP [U]",
        result_name="Giấy khai sinh; thông báo đăng ký thường trú; thẻ bảo hiểm y tế",
        life_events=("birth",),
        components=(
            C("Tờ khai điện tử liên thông (đăng ký khai sinh, thường trú, cấp thẻ bảo hiểm y tế)"),
            C("Giấy chứng sinh", reusable=True),
            C("Giấy tờ chứng minh chỗ ở hợp pháp",
              condition="Khi thông tin chưa có trong Cơ sở dữ liệu về cư trú", reusable=True),
        ),
        fees=(free("Miễn lệ phí đăng ký khai sinh đúng hạn"),),
        fee_note="Miễn lệ phí khai sinh; các thủ tục thành phần theo quy định riêng",
    ),
    P(
        "2.001023", "Liên thông thủ tục hành chính về đăng ký khai sinh, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi", "ho-tich",
        unit=DAYS, amount=3, online=FULL, basis=HO_TICH,  # [U] time limit (DOMAIN.md: –)
        result_name="Giấy khai sinh; thẻ bảo hiểm y tế", life_events=("birth",),
        components=(
            C("Tờ khai điện tử liên thông (đăng ký khai sinh, cấp thẻ bảo hiểm y tế)"),
            C("Giấy chứng sinh", reusable=True),
        ),
        fees=(free("Miễn lệ phí đăng ký khai sinh đúng hạn"),),
    ),
    P(
        "1.000689", "Đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con", "ho-tich",
        unit=DAYS, amount=3, extension=5, online=PARTIAL, basis=HO_TICH,  # [U] time (DOMAIN.md §7)
        result_name="Giấy khai sinh; Trích lục đăng ký nhận cha, mẹ, con", life_events=("birth",),
        components=(
            C("Tờ khai đăng ký khai sinh", form="Tờ khai đăng ký khai sinh"),
            C("Tờ khai đăng ký nhận cha, mẹ, con", form="Tờ khai đăng ký nhận cha, mẹ, con"),
            C("Giấy chứng sinh"),
            C("Văn bản, chứng cứ chứng minh quan hệ cha, mẹ, con"),
            PROXY,
        ),
        fees=(ht_fee("Lệ phí đăng ký nhận cha, mẹ, con", 10_000),),  # [U] amount
        exemptions=HT_PERSONAL_EXEMPTIONS,
    ),
    P(
        "1.003583", "Đăng ký khai sinh lưu động", "ho-tich",
        unit=DAYS, amount=5, online=NONE, basis=HO_TICH,  # [U] time limit (DOMAIN.md: –)
        result_name="Giấy khai sinh (bản chính)", life_events=("birth",),
        components=(
            C("Tờ khai đăng ký khai sinh", form="Tờ khai đăng ký khai sinh"),
            BIRTH_PROOF,
        ),
        fees=(free("Miễn lệ phí đăng ký khai sinh lưu động"),),  # [U]
    ),
    P(
        "1.004772", "Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân", "ho-tich",
        unit=DAYS, amount=5, online=PARTIAL, basis=HO_TICH,  # [U] time limit
        result_name="Giấy khai sinh (bản chính)",
        components=(
            C("Tờ khai đăng ký khai sinh", form="Tờ khai đăng ký khai sinh"),
            C("Bản sao giấy tờ, hồ sơ cá nhân có thông tin về họ tên, ngày sinh, cha mẹ",
              originals=0, copies=1, reusable=True),
            C("Văn bản xác nhận của cơ quan quản lý hồ sơ", condition="Khi giấy tờ có nội dung khác nhau"),
            PROXY,
        ),
        fees=(ht_fee("Lệ phí đăng ký khai sinh (quá hạn)", 5_000),),  # [U] amount
        exemptions=HT_PERSONAL_EXEMPTIONS,
    ),
    P(
        "1.004884", "Đăng ký lại khai sinh", "ho-tich",
        unit=DAYS, amount=5, online=PARTIAL, basis=HO_TICH,  # [U] 5 WD (DOMAIN.md §7)
        result_name="Giấy khai sinh (bản chính)",
        components=(
            C("Tờ khai đăng ký lại khai sinh", form="Tờ khai đăng ký lại khai sinh"),
            C("Bản sao giấy tờ, hồ sơ cá nhân có thông tin về việc khai sinh", originals=0, copies=1,
              reusable=True),
            C("Văn bản cam đoan đã đăng ký khai sinh nhưng không lưu giữ được bản chính"),
            PROXY,
        ),
        fees=(ht_fee("Lệ phí đăng ký lại khai sinh", 5_000),),  # [U] amount
        exemptions=HT_PERSONAL_EXEMPTIONS,
    ),
    P(
        "1.000894", "Đăng ký kết hôn", "ho-tich",
        unit=SAME_DAY, extension=5, online=PARTIAL, basis=HO_TICH,  # Luật Hộ tịch art. 18
        result_name="Giấy chứng nhận kết hôn", life_events=("marriage",),
        components=(
            C("Tờ khai đăng ký kết hôn", form="Tờ khai đăng ký kết hôn"),
            PROOF_OF_MARITAL_STATUS,
            C("Trích lục ghi chú ly hôn hoặc giấy tờ chứng minh việc ly hôn",
              condition="Khi đã ly hôn ở nước ngoài"),
        ),
        fees=(free("Miễn lệ phí đăng ký kết hôn"),),
        fee_note="Miễn lệ phí đối với công dân Việt Nam cư trú ở trong nước",
    ),
    P(
        "1.004746", "Đăng ký lại kết hôn", "ho-tich",
        unit=DAYS, amount=5, online=PARTIAL, basis=HO_TICH,  # [U] time limit
        result_name="Giấy chứng nhận kết hôn", life_events=("marriage",),
        components=(
            C("Tờ khai đăng ký lại kết hôn", form="Tờ khai đăng ký lại kết hôn"),
            C("Bản sao Giấy chứng nhận kết hôn hoặc giấy tờ chứng minh việc đã đăng ký kết hôn",
              originals=0, copies=1, reusable=True),
        ),
        fees=(ht_fee("Lệ phí đăng ký lại kết hôn", 5_000),),  # [U] amount
        exemptions=HT_PERSONAL_EXEMPTIONS,
    ),
    P(
        "2.000806", "Đăng ký kết hôn có yếu tố nước ngoài", "ho-tich",
        unit=DAYS, amount=15, online=PARTIAL, basis=HO_TICH,  # [U] time limit (Luật Hộ tịch art. 38)
        result_name="Giấy chứng nhận kết hôn", life_events=("marriage",),
        components=(
            C("Tờ khai đăng ký kết hôn", form="Tờ khai đăng ký kết hôn"),
            C("Giấy tờ chứng minh tình trạng hôn nhân của người nước ngoài", copies=0),
            C("Giấy xác nhận của tổ chức y tế về việc không mắc bệnh tâm thần"),
            C("Bản sao hộ chiếu hoặc giấy tờ thay thế của người nước ngoài", originals=0, copies=1),
        ),
        fees=(FeeSpec("Lệ phí đăng ký kết hôn có yếu tố nước ngoài", FIXED, 1_000_000, HT_FEE_REF),),  # [U]
        exemptions=HT_PERSONAL_EXEMPTIONS,
    ),
    P(
        "1.000656", "Đăng ký khai tử", "ho-tich",
        unit=SAME_DAY, extension=3, online=FULL, basis=HO_TICH,  # Luật Hộ tịch art. 34
        result_name="Trích lục khai tử", life_events=("death",),
        components=(
            C("Tờ khai đăng ký khai tử", form="Tờ khai đăng ký khai tử"),
            C("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử"),
            PROXY,
        ),
        fees=(ht_fee("Lệ phí đăng ký khai tử (quá hạn)", 5_000),),  # [U] amount
        exemptions=(ON_TIME, *HT_PERSONAL_EXEMPTIONS),
        fee_note="Miễn lệ phí khi đăng ký đúng hạn (Luật Hộ tịch Điều 11)",
    ),
    P(
        "1.005461", "Đăng ký lại khai tử", "ho-tich",
        unit=DAYS, amount=5, online=PARTIAL, basis=HO_TICH,  # [U] time limit
        result_name="Trích lục khai tử", life_events=("death",),
        components=(
            C("Tờ khai đăng ký lại khai tử", form="Tờ khai đăng ký lại khai tử"),
            C("Bản sao Giấy chứng tử hoặc giấy tờ chứng minh việc đã đăng ký khai tử", originals=0, copies=1),
        ),
        fees=(ht_fee("Lệ phí đăng ký lại khai tử", 5_000),),  # [U] amount
        exemptions=HT_PERSONAL_EXEMPTIONS,
    ),
    P(
        "1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "ho-tich",
        unit=DAYS, amount=3, online=FULL, basis=HO_TICH,  # Decree 123/2015 art. 22(3)
        result_name="Giấy xác nhận tình trạng hôn nhân", life_events=("marriage",),
        components=(
            C("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
              form="Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"),
            C("Giấy tờ chứng minh việc ly hôn hoặc người kia đã chết",
              condition="Khi đã có vợ, chồng nhưng đã ly hôn hoặc người kia đã chết", reusable=True),
            C("Giấy xác nhận tình trạng hôn nhân đã được cấp trước đây",
              condition="Khi yêu cầu cấp lại để sử dụng vào mục đích khác hoặc đã hết hạn"),
            PROXY,
        ),
        fees=(ht_fee("Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", 5_000),),  # [U] amount
        exemptions=HT_PERSONAL_EXEMPTIONS,
    ),
    P(
        "1.004837", "Đăng ký giám hộ", "ho-tich",
        unit=DAYS, amount=3, online=PARTIAL, basis=HO_TICH,  # Luật Hộ tịch art. 20
        result_name="Trích lục đăng ký giám hộ",
        components=(
            C("Tờ khai đăng ký giám hộ", form="Tờ khai đăng ký giám hộ"),
            C("Văn bản cử người giám hộ"),
        ),
        fees=(free("Miễn lệ phí đăng ký giám hộ"),),
    ),
    P(
        "1.004845", "Đăng ký chấm dứt giám hộ", "ho-tich",
        unit=DAYS, amount=2, online=PARTIAL, basis=HO_TICH,  # Luật Hộ tịch art. 22
        result_name="Trích lục đăng ký chấm dứt giám hộ",
        components=(
            C("Tờ khai đăng ký chấm dứt giám hộ", form="Tờ khai đăng ký chấm dứt giám hộ"),
            C("Giấy tờ làm căn cứ chấm dứt giám hộ"),
        ),
        fees=(ht_fee("Lệ phí đăng ký chấm dứt giám hộ", 5_000),),  # [U] DOMAIN.md: fee [U]
        exemptions=HT_PERSONAL_EXEMPTIONS,
    ),
    P(
        "1.001022", "Đăng ký nhận cha, mẹ, con", "ho-tich",
        unit=DAYS, amount=3, extension=5, online=PARTIAL, basis=HO_TICH,  # Luật Hộ tịch art. 25
        result_name="Trích lục đăng ký nhận cha, mẹ, con",
        components=(
            C("Tờ khai đăng ký nhận cha, mẹ, con", form="Tờ khai đăng ký nhận cha, mẹ, con"),
            C("Văn bản, chứng cứ chứng minh quan hệ cha, mẹ, con"),
        ),
        fees=(ht_fee("Lệ phí đăng ký nhận cha, mẹ, con", 10_000),),  # [U] amount
        exemptions=HT_PERSONAL_EXEMPTIONS,
    ),
    P(
        # [U] code (DOMAIN.md §7). Supplementing (bổ sung) alone is same-day (art. 29).
        "1.004859", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "ho-tich",
        unit=DAYS, amount=3, extension=3, online=FULL, basis=HO_TICH,  # Luật Hộ tịch art. 28
        result_name="Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch",
        components=(
            C("Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
              form="Tờ khai thay đổi, cải chính, bổ sung hộ tịch"),
            C("Giấy tờ làm căn cứ thay đổi, cải chính, bổ sung", reusable=True),
            PROXY,
        ),
        fees=(ht_fee("Lệ phí thay đổi, cải chính, bổ sung thông tin hộ tịch", 10_000),),  # [U] amount
        exemptions=HT_PERSONAL_EXEMPTIONS,
    ),
    P(
        "2.000635", "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh", "ho-tich",
        unit=SAME_DAY, online=FULL, basis=HO_TICH,  # Luật Hộ tịch art. 64
        result_name="Bản sao Trích lục hộ tịch",
        components=(
            C("Tờ khai cấp bản sao Trích lục hộ tịch", form="Tờ khai cấp bản sao Trích lục hộ tịch"),
            PROXY,
        ),
        # [U] amount and basis: a per-copy charge is common (e.g. 8,000 VND a copy).
        fees=(FeeSpec("Phí cấp bản sao trích lục hộ tịch (mỗi bản)", PER_CASE, 8_000, HT_FEE_REF),),
        fee_note="Thu theo số bản sao yêu cầu",
    ),
    P(
        "2.002516", "Xác nhận thông tin hộ tịch", "ho-tich",
        unit=DAYS, amount=3, online=FULL, basis=HO_TICH,  # [U] time limit and fee (DOMAIN.md: [U], –)
        result_name="Văn bản xác nhận thông tin hộ tịch",
        components=(C("Tờ khai xác nhận thông tin hộ tịch", form="Tờ khai xác nhận thông tin hộ tịch"), PROXY),
    ),
)

CT_ID = C(
    "Giấy tờ tùy thân của người yêu cầu chứng thực (Căn cước, hộ chiếu)",
    originals=1,
    reusable=True,
)
CHUNG_THUC_PROCEDURES = (
    P(
        "2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "chung-thuc",
        # Decree 23/2015 art. 7, 21: same day, next working day after 15:00; longer for large volumes.
        unit=SAME_DAY, online=PARTIAL, basis=CHUNG_THUC,  # [U] online level
        result_name="Bản sao được chứng thực từ bản chính", applicants=BOTH,
        components=(
            C("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao"),
            C("Bản sao cần chứng thực", originals=0, copies=1,
              condition="Khi người yêu cầu tự mang bản sao; nếu không, cơ quan chụp từ bản chính"),
        ),
        fees=(CERTIFIED_COPY_FEE,),
        fee_note="2.000 đ/trang cho trang 1–2, 1.000 đ/trang từ trang 3, tối đa 200.000 đ/bản",
    ),
    P(
        "2.000884", "Chứng thực chữ ký trong giấy tờ, văn bản", "chung-thuc",
        unit=SAME_DAY, online=NONE, basis=CHUNG_THUC,  # the signer signs before the officer
        result_name="Giấy tờ, văn bản được chứng thực chữ ký", applicants=CITIZEN,
        components=(CT_ID, C("Giấy tờ, văn bản sẽ ký")),
        fees=(SIGNATURE_FEE,),
        fee_note="10.000 đ/trường hợp (một hoặc nhiều chữ ký trên cùng một giấy tờ)",
    ),
    P(
        "2.000992", "Chứng thực chữ ký người dịch là cộng tác viên dịch thuật", "chung-thuc",
        unit=SAME_DAY, online=NONE, basis=CHUNG_THUC,
        result_name="Bản dịch được chứng thực chữ ký người dịch", applicants=CITIZEN,
        components=(
            C("Bản dịch đính kèm giấy tờ, văn bản cần dịch"),
            C("Giấy tờ tùy thân của người dịch", reusable=True),
        ),
        fees=(SIGNATURE_FEE,),
    ),
    P(
        "2.001035", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở", "chung-thuc",
        unit=DAYS, amount=2, online=NONE, basis=CHUNG_THUC,  # Decree 23/2015 art. 37
        result_name="Hợp đồng, giao dịch được chứng thực", applicants=BOTH,
        components=(
            C("Dự thảo hợp đồng, giao dịch"),
            C("Bản sao giấy tờ tùy thân của người yêu cầu chứng thực", originals=0, copies=1, reusable=True),
            C("Bản sao giấy chứng nhận quyền sở hữu, quyền sử dụng hoặc giấy tờ thay thế", originals=0,
              copies=1, reusable=True),
        ),
        fees=(CONTRACT_FEE,),
        exemptions=(AGRI_LOAN,),
        fee_note="50.000 đ/hợp đồng, giao dịch",
    ),
    P(
        "2.000913", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", "chung-thuc",
        unit=DAYS, amount=2, online=NONE, basis=CHUNG_THUC,  # [U] time limit
        result_name="Văn bản sửa đổi, bổ sung, hủy bỏ được chứng thực", applicants=BOTH,
        components=(
            C("Dự thảo văn bản sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch"),
            C("Hợp đồng, giao dịch đã được chứng thực"),
            C("Bản sao giấy tờ tùy thân của người yêu cầu chứng thực", originals=0, copies=1, reusable=True),
        ),
        fees=(
            FeeSpec("Phí chứng thực sửa đổi, bổ sung, hủy bỏ hợp đồng", PER_CASE, 30_000, CT_FEE_REF,
                    effective_from=CT_SINCE),
        ),
        exemptions=(AGRI_LOAN,),
    ),
    P(
        "2.001019", "Chứng thực di chúc", "chung-thuc",
        unit=DAYS, amount=2, online=NONE, basis=CHUNG_THUC,  # Decree 23/2015 art. 37
        result_name="Di chúc được chứng thực",
        components=(C("Dự thảo di chúc"), CT_ID,
                    C("Bản sao giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản", originals=0, copies=1,
                      condition="Khi di chúc liên quan đến tài sản phải đăng ký quyền sở hữu, sử dụng")),
        fees=(CONTRACT_FEE,),  # [U] the contract rate for a will (DOMAIN.md §7)
    ),
    P(
        "2.001016", "Chứng thực văn bản từ chối nhận di sản", "chung-thuc",
        unit=DAYS, amount=2, online=NONE, basis=CHUNG_THUC,
        result_name="Văn bản từ chối nhận di sản được chứng thực",
        components=(C("Dự thảo văn bản từ chối nhận di sản"), CT_ID),
        fees=(CONTRACT_FEE,),
    ),
    P(
        "2.001406", "Chứng thực văn bản thỏa thuận phân chia di sản, văn bản khai nhận di sản", "chung-thuc",
        unit=DAYS, amount=2, online=NONE, basis=CHUNG_THUC,
        result_name="Văn bản thỏa thuận phân chia di sản được chứng thực",
        components=(
            C("Dự thảo văn bản thỏa thuận phân chia di sản"),
            C("Bản sao giấy tờ tùy thân của những người thừa kế", originals=0, copies=1, reusable=True),
            C("Bản sao giấy chứng tử của người để lại di sản", originals=0, copies=1, reusable=True),
            C("Bản sao giấy chứng nhận quyền sở hữu, quyền sử dụng di sản", originals=0, copies=1),
        ),
        fees=(CONTRACT_FEE,),
    ),
    P(
        "2.000908", "Cấp bản sao từ sổ gốc", "chung-thuc",
        unit=SAME_DAY, online=PARTIAL, basis=CHUNG_THUC,  # [U] online level
        result_name="Bản sao từ sổ gốc", applicants=BOTH,
        components=(C("Phiếu yêu cầu cấp bản sao từ sổ gốc"), CT_ID),
        fee_note="Không thu phí [U]",  # DOMAIN.md §6.2: commonly free [U]
    ),
)

CU_TRU_ID = C(
    "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)",
    form="CT01",
)
LAWFUL_HOME = C(
    "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
    condition="Khi thông tin chưa có trong cơ sở dữ liệu hoặc Kho dữ liệu điện tử",
    reusable=True,
)
CU_TRU_PROCEDURES = (
    # Handled by the commune police (Công an cấp xã), not the People's Committee (DOMAIN.md §0).
    P(
        "1.004222", "Đăng ký thường trú", "cu-tru",
        unit=DAYS, amount=7, online=FULL, basis=CU_TRU,  # Luật Cư trú art. 22(3)
        result=ResultKind.NONE, result_name="Thông báo kết quả; cập nhật Cơ sở dữ liệu về cư trú",
        life_events=("residence",),
        components=(
            CU_TRU_ID,
            LAWFUL_HOME,
            C("Văn bản đồng ý của chủ hộ, chủ sở hữu chỗ ở hợp pháp",
              condition="Khi đăng ký vào chỗ ở không thuộc sở hữu của mình"),
        ),
        fees=(FeeSpec("Lệ phí đăng ký thường trú", FIXED, 20_000, CU_TRU_FEE_REF, amount_online=10_000),),
        exemptions=CU_TRU_EXEMPTIONS,
    ),
    P(
        "1.004194", "Đăng ký tạm trú", "cu-tru",
        unit=DAYS, amount=3, online=FULL, basis=CU_TRU,
        result=ResultKind.NONE, result_name="Thông báo kết quả; cập nhật Cơ sở dữ liệu về cư trú",
        life_events=("residence",),
        components=(CU_TRU_ID, LAWFUL_HOME),
        fees=(FeeSpec("Lệ phí đăng ký tạm trú (cá nhân, hộ gia đình)", FIXED, 15_000, CU_TRU_FEE_REF,
                      amount_online=7_000),),
        exemptions=CU_TRU_EXEMPTIONS,
        fee_note="Đăng ký theo danh sách: 10.000 đ/người (trực tuyến 5.000 đ)",
    ),
    P(
        "1.002755", "Gia hạn tạm trú", "cu-tru",
        # [U] 3 WD; apply within 15 days before expiry (Luật Cư trú art. 28(3)).
        unit=DAYS, amount=3, online=FULL, basis=CU_TRU,
        result=ResultKind.NONE, result_name="Thông báo kết quả; cập nhật Cơ sở dữ liệu về cư trú",
        components=(CU_TRU_ID,),
        fees=(FeeSpec("Lệ phí gia hạn tạm trú (cá nhân, hộ gia đình)", FIXED, 15_000, CU_TRU_FEE_REF,
                      amount_online=7_000),),
        exemptions=CU_TRU_EXEMPTIONS,
    ),
    P(
        "1.003677", "Khai báo tạm vắng", "cu-tru",
        unit=DAYS, amount=1, online=FULL, basis=CU_TRU,  # Luật Cư trú art. 31
        result=ResultKind.NONE, result_name="Thông báo kết quả; cập nhật Cơ sở dữ liệu về cư trú",
        components=(
            C("Đề nghị khai báo tạm vắng", form="CT01"),  # [U] form
            C("Văn bản đồng ý của cơ quan, người có thẩm quyền giám sát, quản lý",
              condition="Người đang bị giám sát, quản lý theo quy định"),
        ),
        fee_note="Không thu lệ phí [U]",
    ),
    P(
        "1.010038", "Tách hộ", "cu-tru",
        unit=DAYS, amount=5, online=FULL, basis=CU_TRU,  # Luật Cư trú art. 25(3)(b)
        result=ResultKind.NONE, result_name="Thông báo kết quả; cập nhật Cơ sở dữ liệu về cư trú",
        components=(
            CU_TRU_ID,
            C("Ý kiến đồng ý của chủ hộ, chủ sở hữu chỗ ở hợp pháp",
              condition="Trừ trường hợp đã có ý kiến trên tờ khai"),
            C("Giấy tờ chứng minh việc ly hôn và quyền tiếp tục sử dụng chỗ ở",
              condition="Tách hộ sau ly hôn", reusable=True),
        ),
        # [U] amounts: not in DOMAIN.md; commonly 10,000 / 5,000 online under Circular 75/2022.
        fees=(FeeSpec("Lệ phí tách hộ", FIXED, 10_000, CU_TRU_FEE_REF + " [U]", amount_online=5_000),),
        exemptions=CU_TRU_EXEMPTIONS,
    ),
    P(
        "1.003197", "Xóa đăng ký thường trú", "cu-tru",
        unit=DAYS, amount=1, online=FULL, basis=CU_TRU,  # [U] time limit and fee
        result=ResultKind.NONE, result_name="Cập nhật Cơ sở dữ liệu về cư trú",
        components=(CU_TRU_ID, C("Giấy tờ chứng minh thuộc trường hợp xóa đăng ký thường trú", reusable=True)),
        fee_note="Không thu lệ phí [U]",
    ),
    P(
        "1.010028", "Xóa đăng ký tạm trú", "cu-tru",
        unit=DAYS, amount=1, online=FULL, basis=CU_TRU,  # [U] time limit
        result=ResultKind.NONE, result_name="Cập nhật Cơ sở dữ liệu về cư trú",
        components=(CU_TRU_ID, C("Giấy tờ chứng minh thuộc trường hợp xóa đăng ký tạm trú", reusable=True)),
        fee_note="Không thu lệ phí [U]",
    ),
    P(
        "2.001159", "Thông báo lưu trú", "cu-tru",
        unit=SAME_DAY, online=FULL, basis=CU_TRU,  # immediate (DOMAIN.md §7)
        result=ResultKind.NONE, result_name="Cập nhật thông tin lưu trú", applicants=BOTH,
        components=(C("Thông tin người lưu trú (họ tên, số định danh cá nhân, thời gian lưu trú)"),),
        fees=(free("Miễn phí thông báo lưu trú", legal_ref="Luật Cư trú 2020, Điều 30"),),
    ),
)

OTHER_PROCEDURES = (
    P(
        "1.001612", "Đăng ký thành lập hộ kinh doanh", "ho-kinh-doanh",
        unit=DAYS, amount=3, online=FULL, basis=HO_KINH_DOANH,
        result_name="Giấy chứng nhận đăng ký hộ kinh doanh", life_events=("business",),
        components=(
            C("Giấy đề nghị đăng ký hộ kinh doanh", form="Phụ lục III-1 [U]"),
            C("Bản sao giấy tờ pháp lý của cá nhân đối với chủ hộ và thành viên hộ gia đình", originals=0,
              copies=1, reusable=True),
            C("Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh",
              condition="Khi các thành viên hộ gia đình cùng đăng ký hộ kinh doanh"),
            C("Văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ",
              condition="Khi các thành viên hộ gia đình cùng đăng ký hộ kinh doanh"),
        ),
        # [U] amount: set by the Provincial People's Council (DOMAIN.md §6.2).
        fees=(FeeSpec("Lệ phí đăng ký hộ kinh doanh", FIXED, 100_000,
                      "Nghị quyết của HĐND tỉnh về lệ phí đăng ký kinh doanh [U]"),),
    ),
    P(
        "1.001699", "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật", "bao-tro-xa-hoi",
        # [U] time limit: the assessment council meets within the month.
        unit=DAYS, amount=25, online=PARTIAL,
        basis="Luật Người khuyết tật số 51/2010/QH12\nNghị định 28/2012/NĐ-CP [U]",
        result_name="Giấy xác nhận khuyết tật",
        components=(
            C("Đơn đề nghị xác định mức độ khuyết tật", form="Mẫu số 01 [U]"),
            C("Bản sao hồ sơ bệnh án, giấy tờ khám, điều trị, phẫu thuật hoặc giấy tờ liên quan",
              originals=0, copies=1, condition="Nếu có"),
        ),
        fees=(free("Miễn phí", legal_ref="Luật Người khuyết tật 2010 [U]"),),
    ),
    P(
        "1.011607", "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", "giam-ngheo",  # [U] name, time
        unit=DAYS, amount=15, online=NONE,
        basis="Nghị định 07/2021/NĐ-CP về chuẩn nghèo đa chiều [U]\nQuyết định 24/2021/QĐ-TTg [U]",
        result_name="Giấy chứng nhận hộ nghèo, hộ cận nghèo",
        components=(C("Giấy đề nghị rà soát hộ nghèo, hộ cận nghèo"),),
        fee_note="Không thu phí [U]",
    ),
    P(
        "1.002211", "Công nhận hòa giải viên", "hoa-giai",
        unit=DAYS, amount=5, online=NONE,  # [U] time limit
        basis="Luật Hòa giải ở cơ sở số 35/2013/QH13\nNghị định 15/2014/NĐ-CP",
        result_name="Quyết định công nhận hòa giải viên",
        components=(C("Văn bản đề nghị công nhận hòa giải viên của Trưởng thôn, Tổ trưởng tổ dân phố"),),
        fee_note="Không thu phí",
    ),
)
# fmt: on

PROCEDURES: tuple[ProcedureSpec, ...] = (
    *HO_TICH_PROCEDURES,
    *CHUNG_THUC_PROCEDURES,
    *CU_TRU_PROCEDURES,
    *OTHER_PROCEDURES,
)


# --- internal processes ----------------------------------------------------------------------------

RECEIVE, PROCESS, APPROVE, RETURN = (
    "Tiếp nhận, kiểm tra hồ sơ",
    "Thẩm định, xử lý hồ sơ",
    "Phê duyệt, ký kết quả",
    "Trả kết quả",
)


def default_steps(limit: int) -> tuple[StepSpec, ...]:
    """Receive, process, approve, return, summing to exactly `limit` working hours.

    Same-day and one-day procedures: 0.5 h + rest + 1 h + 0.5 h. Longer ones: 2 h to receive, 4 h to
    approve and 2 h to return, the rest to the specialist.
    """
    if limit <= 8:
        durations = (Decimal("0.5"), Decimal(limit) - 2, Decimal(1), Decimal("0.5"))
    else:
        durations = (Decimal(2), Decimal(limit - 8), Decimal(4), Decimal(2))
    roles = ("one_stop_officer", "specialist", "commune_leader", "one_stop_officer")
    return tuple(
        StepSpec(order=i, name=name, role_code=role, duration_hours=hours)
        for i, (name, role, hours) in enumerate(
            zip((RECEIVE, PROCESS, APPROVE, RETURN), roles, durations, strict=True), 1
        )
    )


PROCESS_LEGAL_REF = "Quy trình nội bộ mẫu (mặc định toàn tỉnh)"


def official_bundle() -> CatalogBundle:
    processes = tuple(
        ProcessSpec(
            procedure_code=p.code,
            legal_ref=PROCESS_LEGAL_REF,
            steps=default_steps(limit_hours(p.time_limit_unit, p.time_limit_amount)),
        )
        for p in PROCEDURES
    )
    return CatalogBundle(fields=FIELDS, procedures=PROCEDURES, processes=processes)
