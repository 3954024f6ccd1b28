"""Interval data, demand charges by TOU period and demand ratchets in the Python binding.

Hand-computed bills for the US example tariff (examples/tariffs/us-tou-demand.json),
interval assignment to TOU periods with a calendar, coverage errors.
"""

import datetime
import os
from decimal import Decimal

import pytest

import bill

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JULY = (datetime.date(2025, 7, 1), datetime.date(2025, 8, 1))
PRIORS = {datetime.date(2024, 7, 1): "700", datetime.date(2025, 1, 15): "520",
          datetime.date(2025, 6, 1): "480"}


def us():
    return bill.Tariff.load_file(os.path.join(ROOT, "examples", "tariffs", "us-tou-demand.json"))


def registers(max_demand_kw, priors=PRIORS):
    return bill.Usage(period=JULY, customer_class="commercial",
                      tou_kwh={"on_peak": "52000", "mid_peak": "61000", "off_peak": "87000"},
                      tou_max_demand_kw={"on_peak": Decimal("365.5")},
                      max_demand_kw=max_demand_kw, prior_peaks_kw=priors)


def line(b, charge, band=""):
    found = [x for x in b.lines if x.charge == charge and x.band == band]
    assert len(found) == 1, (charge, band, b.text)
    return found[0]


def test_ratchet_governs():
    with us() as t, registers("380") as u:
        b = t.compute(u)
    on = line(b, "on_peak_demand", "on_peak")
    assert (on.quantity, on.unit_price, on.amount) == (Decimal("365.5"), Decimal("18.50"),
                                                       Decimal("6761.75"))
    fac = line(b, "facilities")
    # 80 % of 520 (2025-01); 700 of 2024-07 is outside the 11-month window
    assert (fac.quantity, fac.amount) == (Decimal("416"), Decimal("2579.20"))
    assert fac.explanation.startswith("Billing demand 416 kW = 80% of the 520 kW peak of 2025-01")
    assert b.total == Decimal("37020.95")
    assert sum((x.amount for x in b.lines), Decimal(0)) == b.total


def test_ratchet_not_governing():
    with us() as t, registers(Decimal("450")) as u:
        b = t.compute(u)
    fac = line(b, "facilities")
    assert (fac.quantity, fac.amount) == (Decimal("450"), Decimal("2790.00"))
    assert "this period's peak (not below 80% of the 520 kW peak of 2025-01)" in fac.explanation
    assert b.total == Decimal("37231.75")


def test_minimum_kw_and_minimum_bill():
    with us() as t, bill.Usage(period=JULY,
                               tou_kwh={"on_peak": 100, "mid_peak": 100, "off_peak": 100},
                               tou_max_demand_kw={"on_peak": 2}, max_demand_kw=3) as u:
        b = t.compute(u)
    assert line(b, "facilities").amount == Decimal("310.00")      # 50 kW minimum
    assert line(b, "minimum").amount == Decimal("63.00")          # 437.00 up to 500.00
    assert b.total == Decimal("500.00")


def month_of_intervals(extra):
    """One kWh every 15 minutes in July 2025, with {(day, hh, mm): kWh} exceptions."""
    kwh = ["1"] * (31 * 96)
    for (day, hh, mm), v in extra.items():
        kwh[(day - 1) * 96 + hh * 4 + mm // 15] = v
    return kwh


def test_intervals_with_holiday_calendar():
    kwh = month_of_intervals({(4, 13, 0): "5", (7, 12, 0): Decimal("3")})
    with us() as t, bill.Usage(period=JULY,
                               intervals=(datetime.datetime(2025, 7, 1), 15, kwh)) as u, \
            bill.Calendar() as cal:
        assert u.interval_count == 31 * 96
        b = t.compute(u)
        assert line(b, "energy", "on_peak").quantity == Decimal("558")
        assert line(b, "on_peak_demand", "on_peak").quantity == Decimal("20")
        cal.add_holiday(datetime.date(2025, 7, 4), "Independence Day")
        u.set_calendar(cal)
        b = t.compute(u)
        assert line(b, "energy", "on_peak").quantity == Decimal("530")
        assert line(b, "energy", "mid_peak").quantity == Decimal("704")
        assert line(b, "energy", "off_peak").quantity == Decimal("1748")
        assert line(b, "on_peak_demand", "on_peak").amount == Decimal("222.00")   # 12 kW
        u.set_calendar(None)
        assert line(t.compute(u), "energy", "on_peak").quantity == Decimal("558")


def test_example_usage_file_matches_billcalc():
    with open(os.path.join(ROOT, "examples", "usage", "us-tou-demand-july-intervals.json")) as f:
        text = f.read()
    with open(os.path.join(ROOT, "examples", "expected", "billcalc.10.txt")) as f:
        expected = f.read()
    with us() as t, bill.Usage.from_json(text, "us-tou-demand-july-intervals.json") as u:
        assert t.compute(u).text == expected


def test_interval_errors():
    with us() as t, bill.Usage(period=JULY) as u:
        u.set_intervals(datetime.datetime(2025, 7, 1), 15, ["1"] * (31 * 96 - 1))
        with pytest.raises(bill.InputError, match=r"interval 2975 \(2025-07-31T23:45\)"):
            t.compute(u)
        u.set_intervals(datetime.datetime(2025, 7, 1, 0, 15), 15, ["1"] * (31 * 96))
        with pytest.raises(bill.InputError, match="interval 0 starts at 2025-07-01T00:15"):
            t.compute(u)
        with pytest.raises(bill.BillError, match="15, 30 or 60"):
            u.set_intervals(datetime.datetime(2025, 7, 1), 20, ["1"])
        with pytest.raises(bill.BillError, match="interval 1 must not be negative"):
            u.set_intervals(datetime.datetime(2025, 7, 1), 15, ["1", "-1"])
        with pytest.raises(TypeError):
            u.set_intervals(datetime.datetime(2025, 7, 1), 15, [1.5])
        u.set_intervals(datetime.datetime(2025, 7, 1), 15, [])
        assert u.interval_count == 0


def test_demand_inputs_checked():
    with bill.Usage() as u:
        with pytest.raises(bill.BillError):
            u.set_tou_max_demand_kw("on peak", 1)
        with pytest.raises(bill.BillError):
            u.add_prior_peak(datetime.date(2025, 1, 1), "-1")
        u.add_prior_peak(datetime.date(2025, 1, 1), "1")
        u.clear_prior_peaks()
        u.clear_tou_max_demand()
        cal = bill.Calendar()
        cal.close()
        with pytest.raises(bill.StateError):
            u.set_calendar(cal)
        u.set_calendar(None)


def test_loader_rejects_bad_ratchet():
    with open(os.path.join(ROOT, "examples", "tariffs", "us-tou-demand.json")) as f:
        text = f.read()
    bad = text.replace('"percent": "80"', '"percent": "180"')
    with pytest.raises(bill.BillError, match=r"ratchet\.percent"):
        bill.Tariff.load(bad)
    bad = text.replace('"prices": {"on_peak": "18.50"}', '"prices": {"peak": "18.50"}')
    with pytest.raises(bill.BillError, match=r"unknown TOU period 'peak'.*prices\.peak"):
        bill.Tariff.load(bad)
