"""The government's holiday decisions for 2025–2026 (DOMAIN.md §11.2), recorded as overrides by
`calendar_seed_official_holidays` so that each day off carries its legal basis.

Data only. Entries tagged [U] in DOMAIN.md carry "(cần xác minh)" in their reference: check the
yearly notice (§12c item 7) before relying on them.
"""

from datetime import date

from .choices import OverrideKind as K

LABOUR_CODE = "Bộ luật Lao động 2019, Điều 112"
LABOUR_CODE_COMPENSATORY = "Bộ luật Lao động 2019, Điều 111 khoản 3 và Điều 112 (nghỉ bù)"
NOTICE_2025 = "Thông báo 6150/TB-BLĐTBXH (2024) về nghỉ Tết Âm lịch và Quốc khánh năm 2025"
SWAP_2025 = "Thông báo của Bộ Nội vụ về hoán đổi ngày làm việc dịp 30/4–1/5/2025 (cần xác minh số hiệu)"
NOTICE_2026 = "Công văn 9859/VPCP-KGVX ngày 13/10/2025; Thông báo 9441/TB-BNV (2025)"

# year -> (date, kind, name, legal reference)
OFFICIAL_DECISIONS: dict[int, tuple[tuple[date, str, str, str], ...]] = {
    2025: (
        (date(2025, 1, 1), K.HOLIDAY, "Tết Dương lịch", LABOUR_CODE),
        (date(2025, 1, 27), K.HOLIDAY, "Nghỉ Tết Nguyên Đán Ất Tỵ (28 tháng Chạp)", NOTICE_2025),
        (date(2025, 1, 28), K.HOLIDAY, "Giao thừa Tết Nguyên Đán Ất Tỵ", NOTICE_2025),
        (date(2025, 1, 29), K.HOLIDAY, "Tết Nguyên Đán Ất Tỵ (Mùng một)", NOTICE_2025),
        (date(2025, 1, 30), K.HOLIDAY, "Tết Nguyên Đán Ất Tỵ (Mùng hai)", NOTICE_2025),
        (date(2025, 1, 31), K.HOLIDAY, "Tết Nguyên Đán Ất Tỵ (Mùng ba)", NOTICE_2025),
        (date(2025, 4, 7), K.HOLIDAY, "Giỗ Tổ Hùng Vương", LABOUR_CODE),
        (date(2025, 4, 26), K.MAKEUP_WORKDAY, "Làm bù cho thứ Sáu 02/05/2025", SWAP_2025),
        (date(2025, 4, 30), K.HOLIDAY, "Ngày Chiến thắng", LABOUR_CODE),
        (date(2025, 5, 1), K.HOLIDAY, "Ngày Quốc tế Lao động", LABOUR_CODE),
        (date(2025, 5, 2), K.SWAP_OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)", SWAP_2025),
        (date(2025, 9, 1), K.HOLIDAY, "Quốc khánh", f"{LABOUR_CODE}; {NOTICE_2025}"),
        (date(2025, 9, 2), K.HOLIDAY, "Quốc khánh", f"{LABOUR_CODE}; {NOTICE_2025}"),
    ),
    2026: (
        (date(2026, 1, 1), K.HOLIDAY, "Tết Dương lịch", LABOUR_CODE),
        (date(2026, 2, 16), K.HOLIDAY, "Giao thừa Tết Nguyên Đán Bính Ngọ", NOTICE_2026),
        (date(2026, 2, 17), K.HOLIDAY, "Tết Nguyên Đán Bính Ngọ (Mùng một)", NOTICE_2026),
        (date(2026, 2, 18), K.HOLIDAY, "Tết Nguyên Đán Bính Ngọ (Mùng hai)", NOTICE_2026),
        (date(2026, 2, 19), K.HOLIDAY, "Tết Nguyên Đán Bính Ngọ (Mùng ba)", NOTICE_2026),
        (date(2026, 2, 20), K.HOLIDAY, "Tết Nguyên Đán Bính Ngọ (Mùng bốn)", NOTICE_2026),
        (date(2026, 4, 26), K.HOLIDAY, "Giỗ Tổ Hùng Vương", LABOUR_CODE),
        (
            date(2026, 4, 27),
            K.HOLIDAY,
            "Giỗ Tổ Hùng Vương (nghỉ bù)",
            f"{LABOUR_CODE_COMPENSATORY} (cần xác minh)",
        ),
        (date(2026, 4, 30), K.HOLIDAY, "Ngày Chiến thắng", LABOUR_CODE),
        (date(2026, 5, 1), K.HOLIDAY, "Ngày Quốc tế Lao động", LABOUR_CODE),
        (date(2026, 8, 22), K.MAKEUP_WORKDAY, "Làm bù cho thứ Hai 31/08/2026", NOTICE_2026),
        (date(2026, 8, 31), K.SWAP_OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)", NOTICE_2026),
        (date(2026, 9, 1), K.HOLIDAY, "Quốc khánh", f"{LABOUR_CODE}; {NOTICE_2026}"),
        (date(2026, 9, 2), K.HOLIDAY, "Quốc khánh", f"{LABOUR_CODE}; {NOTICE_2026}"),
    ),
}
