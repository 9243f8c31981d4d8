"""Device routes of the sync API: enrolment (unsigned, a pairing code's proof) and hello (signed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from .auth import authenticated_device
from .devices import Device, enrol
from .state import HQ, get_hq

router = APIRouter(prefix="/api/v1", tags=["devices"])

SignedDevice = Annotated[Device, Depends(authenticated_device)]
Service = Annotated[HQ, Depends(get_hq)]


class EnrolRequest(BaseModel):
    device_id: str = Field(min_length=1, max_length=128, description="the bus's journal device id")
    public_key: str = Field(min_length=1, max_length=100, description="the bus's Ed25519 public key, base64url")
    proof: str = Field(
        min_length=64,
        max_length=64,
        description="hex HMAC-SHA256(code, 'numeribus-enrol-v1\\n' + device_id + '\\n' + public_key)",
    )


class EnrolAnswer(BaseModel):
    device_id: str
    name: str
    key_id: str
    api_version: int
    hq_public_key: str
    hq_key_id: str
    proof: str


class HelloAnswer(BaseModel):
    device_id: str
    name: str
    server_time: int = Field(description="headquarters' clock, seconds since 1970")
    catalogue_version: int = Field(description="the catalogue version the bus last said it holds")
    acknowledged: int = Field(description="the highest contiguous outbox sequence headquarters holds for the bus")


@router.post(
    "/enrol",
    response_model=EnrolAnswer,
    summary="Exchange a pairing code's proof for the bus's registration (not signed)",
    responses={
        403: {"description": "pairing_code_invalid, pairing_code_used or pairing_code_expired"},
        409: {"description": "device_exists"},
    },
)
def post_enrol(request: EnrolRequest, hq: Service) -> dict:
    return enrol(hq.db(), hq, request.device_id, request.public_key, request.proof, hq.now())


@router.get("/hello", response_model=HelloAnswer, summary="Who am I for headquarters, and its clock (signed)")
def get_hello(device: SignedDevice, hq: Service) -> dict:
    return {
        "device_id": device.device_id,
        "name": device.name,
        "server_time": int(hq.now().timestamp()),
        "catalogue_version": device.catalogue_version,
        "acknowledged": device.acknowledged,
    }
