"""API schemas of the directory: who am I, and personal API tokens."""

from datetime import datetime

from ninja import Field, Schema


class RoleOut(Schema):
    code: str = Field(description="Role code, e.g. one_stop_officer")
    name: str = Field(description="Role name in the request's language")
    unit_code: str = Field(description="Electronic identifier of the unit the role is granted on")
    unit_name: str
    include_subtree: bool = Field(description="Whether the grant covers the unit's sub-units")


class MeOut(Schema):
    username: str
    full_name: str
    kind: str = Field(description="official, citizen or system")
    roles: list[RoleOut]


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="What the token is for")
    expires_at: datetime | None = Field(
        default=None, description="When the token stops working; a time without offset is local time"
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="Public part of the token, to recognise it")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool

    @staticmethod
    def resolve_revoked(obj) -> bool:
        return obj.revoked_at is not None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The full secret. Shown this once; only its hash is stored.")
