from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from smartcommune.catalog.models import Component, FeeRule, Field, Procedure, ProcessStep, ProcessTemplate
from smartcommune.directory.factories import CitizenFactory, make_official
from smartcommune.directory.models import Role

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def _process(procedure, steps):
    process = ProcessTemplate.objects.create(procedure=procedure)
    for order, (name, role, hours) in enumerate(steps, 1):
        ProcessStep.objects.create(
            process=process,
            order=order,
            name=name,
            role=Role.objects.get(code=role),
            duration_hours=Decimal(hours),
        )
    return process


@pytest.fixture
def catalog(db):
    field = Field.objects.create(code="ho-tich", name="Hộ tịch")
    marital = Procedure.objects.create(
        code="1.004873",
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        name_folded="cap giay xac nhan tinh trang hon nhan",
        field=field,
        applicant_types=["citizen"],
        time_limit_amount=3,
        time_limit_unit="working_days",
        online_level="full",
        result_kind="document",
    )
    declaration = Component.objects.create(
        procedure=marital,
        order=1,
        name="Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
        is_mandatory=True,
        accepted_types=["pdf", "jpg", "png"],
    )
    optional = Component.objects.create(
        procedure=marital, order=2, name="Giấy tờ chứng minh đã ly hôn", is_mandatory=False
    )
    FeeRule.objects.create(
        procedure=marital, name="Lệ phí", kind="fixed", amount=5000, legal_ref="NQ HĐND tỉnh"
    )
    _process(
        marital,
        [
            ("Tiếp nhận", "one_stop_officer", "2"),
            ("Thẩm định", "specialist", "12"),
            ("Phê duyệt", "commune_leader", "4"),
            ("Trả kết quả", "one_stop_officer", "2"),
        ],
    )
    copy = Procedure.objects.create(
        code="2.000815",
        name="Chứng thực bản sao từ bản chính",
        name_folded="chung thuc ban sao tu ban chinh",
        field=Field.objects.create(code="chung-thuc", name="Chứng thực"),
        applicant_types=["citizen"],
        time_limit_amount=0,
        time_limit_unit="same_day",
        online_level="partial",
        result_kind="document",
    )
    original = Component.objects.create(procedure=copy, order=1, name="Bản chính giấy tờ", is_mandatory=True)
    FeeRule.objects.create(
        procedure=copy,
        name="Phí chứng thực bản sao",
        kind="per_page",
        amount=2000,
        tier_pages=2,
        next_amount=1000,
        cap=200000,
        legal_ref="Thông tư 226/2016/TT-BTC",
    )
    _process(
        copy,
        [
            ("Tiếp nhận và chứng thực", "one_stop_officer", "4"),
            ("Ký", "commune_leader", "2"),
            ("Trả kết quả", "one_stop_officer", "2"),
        ],
    )
    return SimpleNamespace(
        marital=marital, declaration=declaration, optional=optional, copy=copy, original=original
    )


@pytest.fixture
def people(org):
    citizen = CitizenFactory(full_name="Lò Thị Ánh", home_unit=org.ban_a)
    return SimpleNamespace(
        citizen=citizen,
        specialist2=make_official(org.muong_dun, "specialist", username="chuyenvien2"),
    )
