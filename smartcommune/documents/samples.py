"""Realistic contexts for every document template: previews, tests and `bench/pdf_render.py`.

Names and places carry every kind of Vietnamese diacritic, so a missing glyph or a broken font
declaration shows at once. Nothing here is a real person's data.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")

RECEIVED_AT = datetime(2026, 8, 13, 10, 20, tzinfo=VN)
RETURN_AT = datetime(2026, 8, 18, 10, 20, tzinfo=VN)

APPLICANT = {
    "name": "Nguyễn Thị Ánh Tuyết",
    "id_number": "011190001234",
    "address": "Bản Thử A, xã Mường Đun, tỉnh Điện Biên",
    "phone": "0912345678",
    "email": "anhtuyet@example.vn",
}

COMPONENTS = [
    {"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)", "form": "Bản chính", "count": 1},
    {"name": "Giấy tờ tùy thân có ảnh (Căn cước)", "form": "Bản xuất trình", "count": 1},
    {"name": "Giấy xác nhận tình trạng hôn nhân đã cấp trước đây (nếu có)", "form": "Bản chính", "count": 1},
]

HEADER = {"commune": "Xã Mường Đun", "place": "Mường Đun"}


def receipt(*, components: int = 3) -> dict:
    """Form 01. With more than ~20 components it runs to a second page."""
    items = [COMPONENTS[i % len(COMPONENTS)] for i in range(components)]
    return {
        **HEADER,
        "dossier_code": "000.01.00.H18-260813-0001",
        "copy_label": "Liên 1: Giao người nộp hồ sơ",
        "applicant": APPLICANT,
        "authorised": {
            "name": "Lò Văn Đức",
            "id_number": "011088004321",
            "address": "Bản Thử B, xã Mường Đun, tỉnh Điện Biên",
            "phone": "0987654321",
            "email": "",
            "paper": "Giấy ủy quyền ngày 10/08/2026, chứng thực tại UBND xã Phìn Hồ",
        },
        "procedure_name": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "components": items,
        "sets": 1,
        "legal_time": "03 ngày làm việc",
        "received_at": RECEIVED_AT,
        "return_at": RETURN_AT,
        "return_place": "Trung tâm Phục vụ hành chính công xã Mường Đun (nhận trực tiếp)",
        "fees": [{"name": "Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", "amount": 10000}],
        "fee_total": 10000,
        "ledger_book": "01/2026",
        "ledger_number": "125",
        "receiver_name": "Quàng Thị Hương",
    }


def supplement_request() -> dict:
    """Form 02."""
    return {
        **HEADER,
        "dossier_code": "000.01.00.H18-260813-0002",
        "applicant": APPLICANT,
        "procedure_name": "Đăng ký khai sinh",
        "items": [
            "Bổ sung bản chính Giấy chứng sinh do Trạm Y tế xã Phìn Hồ cấp.",
            "Ghi đầy đủ họ, chữ đệm, tên và ngày tháng năm sinh của người mẹ trong Tờ khai.",
        ],
        "reason": "Hồ sơ thiếu Giấy chứng sinh; Tờ khai ghi chưa đủ thông tin của người mẹ.",
        "contact": {"name": "Quàng Thị Hương", "phone": "0215 3845 123"},
        "guide_name": "Quàng Thị Hương",
    }


def refusal() -> dict:
    """Form 03."""
    return {
        **HEADER,
        "dossier_code": "000.01.00.H18-260813-0003",
        "applicant": APPLICANT | {"name": "Lò Văn Đức", "id_number": "011088004321"},
        "procedure_name": "Cấp Giấy phép xây dựng nhà ở riêng lẻ",
        "reasons": [
            "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã Mường Đun.",
            "Đề nghị ông nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh Điện Biên.",
        ],
        "receiver_name": "Quàng Thị Hương",
    }


def apology() -> dict:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả."""
    return {
        **HEADER,
        "committee_issues": True,
        "issuer_name": "Ủy ban nhân dân xã Mường Đun",
        "addressee": "Nguyễn Thị Ánh Tuyết",
        "applicant_id_number": "011190001234",
        "received_at": RECEIVED_AT,
        "procedure_name": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "dossier_code": "000.01.00.H18-260813-0001",
        "original_return_at": RETURN_AT,
        "reason": "Cần xác minh tình trạng hôn nhân của người yêu cầu tại nơi cư trú trước đây (xã Phìn Hồ).",
        "new_return_at": datetime(2026, 8, 21, 16, 0, tzinfo=VN),
        "signer": {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Giàng A Dế"},
    }


def control_slip() -> dict:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ."""
    return {
        **HEADER,
        "dossier_code": "000.01.00.H18-260813-0001",
        "procedure_name": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "lead_unit": "Văn phòng HĐND và UBND xã Mường Đun (bộ phận Tư pháp - Hộ tịch)",
        "coordinating_units": "Ủy ban nhân dân xã Phìn Hồ",
        "received_at": RECEIVED_AT,
        "return_at": RETURN_AT,
        "handovers": [
            {
                "from_unit": "Trung tâm Phục vụ hành chính công",
                "from_person": "Quàng Thị Hương",
                "to_unit": "Công chức Tư pháp - Hộ tịch",
                "to_person": "Lò Văn Đức",
                "at": datetime(2026, 8, 13, 14, 5, tzinfo=VN),
                "result": "early",
                "note": "",
            },
            {
                "from_unit": "Công chức Tư pháp - Hộ tịch",
                "from_person": "Lò Văn Đức",
                "to_unit": "Lãnh đạo UBND xã",
                "to_person": "Giàng A Dế",
                "at": datetime(2026, 8, 17, 9, 30, tzinfo=VN),
                "result": "on_time",
                "note": "Đã xác minh tại xã Phìn Hồ",
            },
            {
                "from_unit": "Lãnh đạo UBND xã",
                "from_person": "Giàng A Dế",
                "to_unit": "Trung tâm Phục vụ hành chính công",
                "to_person": "Quàng Thị Hương",
                "at": datetime(2026, 8, 19, 8, 15, tzinfo=VN),
                "result": "late",
                "note": "Đã gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            },
        ],
    }


_LEDGER_PEOPLE = [
    ("Nguyễn Thị Ánh Tuyết", "Bản Thử A; 0912345678"),
    ("Lò Văn Đức", "Bản Thử B; 0987654321"),
    ("Quàng Thị Ỷ", "Bản Phìn Hồ; 0977111222"),
    ("Giàng A Dế", "Bản Huổi Lếch; 0966333444"),
    ("Trần Thị Thuỳ Dương", "Bản Thử A; 0355777888"),
]
_LEDGER_PROCEDURES = [
    "Cấp Giấy xác nhận tình trạng hôn nhân",
    "Đăng ký khai sinh",
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
    "Đăng ký kết hôn",
]


def ledger(*, rows: int = 40) -> dict:
    """Sổ theo dõi hồ sơ: 40 rows run over several landscape pages."""
    entries = []
    for i in range(rows):
        name, contact = _LEDGER_PEOPLE[i % len(_LEDGER_PEOPLE)]
        day = 3 + i % 20
        entries.append(
            {
                "dossier_code": f"000.01.00.H18-2608{day:02d}-{i + 1:04d}",
                "procedure_name": _LEDGER_PROCEDURES[i % len(_LEDGER_PROCEDURES)],
                "applicant_name": name,
                "applicant_contact": contact,
                "lead_unit": "Tư pháp - Hộ tịch",
                "received_at": datetime(2026, 8, day, 9, 0, tzinfo=VN),
                "return_at": datetime(2026, 8, day + 3, 16, 30, tzinfo=VN),
                "returned_at": datetime(2026, 8, day + 2, 15, 10, tzinfo=VN) if i % 3 else None,
                "return_method": "Trực tiếp" if i % 2 else "Dịch vụ bưu chính công ích",
            }
        )
    return {
        **HEADER,
        "field_name": "Hộ tịch; Chứng thực",
        "period": "Tháng 8 năm 2026",
        "ledger_book": "01/2026",
        "rows": entries,
    }


SAMPLES = {
    "documents/receipt.html": receipt,
    "documents/supplement_request.html": supplement_request,
    "documents/refusal.html": refusal,
    "documents/apology.html": apology,
    "documents/control_slip.html": control_slip,
    "documents/ledger.html": ledger,
}
