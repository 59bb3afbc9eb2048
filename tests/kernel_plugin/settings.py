from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class KernelSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    greeting: str = Field(default="你好", description="Shown above the notices.")
    max_notices: int = Field(default=10, ge=1, le=50, description="Most notices a community shows.")
