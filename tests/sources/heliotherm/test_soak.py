"""A short soak through the fault-injecting proxy: the figures scripts/soak reports, asserted."""

from __future__ import annotations

from scripts.soak import soak


async def test_short_soak_has_no_wrong_value_foreign_exception_or_hang() -> None:
    figures = await soak(calls=120, fault_share=0.4, seed=3)
    assert figures["calls"] == 120
    assert figures["faults_injected"] > 30
    assert figures["wrong_values"]["should_have_been_caught"] == 0
    assert figures["wrong_values"]["without_any_fault"] == 0
    assert figures["foreign_exceptions"] == {}
    assert figures["hangs"] == 0
    assert figures["recovery_percent"] == 100.0
    assert figures["fake_header_percent"] >= 95.0
