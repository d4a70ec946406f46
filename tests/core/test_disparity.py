from __future__ import annotations

import json
import math
import re

import pytest
from scipy.stats import fisher_exact  # type: ignore[import-untyped, unused-ignore]

from docket.core.disparity import Disparity, Unit, disparity, format_p
from docket.core.errors import ValidationError

LABELS = {
    "dungan": "Dungans",
    "kazakh": "Kazakhs",
    "uyghur": "Uyghurs",
    "in_custody": "kept in custody",
    "released": "released",
}
LABELS_RU = {
    "dungan": "дунгане",
    "kazakh": "казахи",
    "in_custody": "оставлены под стражей",
    "released": "освобождены",
}


def appeal_case() -> Disparity:
    """The appeal: 3 Dungans kept in custody, 44 Kazakhs released the next day."""
    return disparity(
        [
            Unit("dungan", "in_custody", 3, label="group-dungans"),
            Unit("kazakh", "released", 44, label="group-kazakhs"),
        ],
        positive="in_custody",
        cohort="people detained on 8–9 February 2020",
        cohort_ru="задержанных 8–9 февраля 2020 года",
        attribute="ethnicity",
        attribute_ru="национальность",
    )


def cohort(cells: dict[tuple[str, str], int]) -> list[Unit]:
    return [Unit(group, outcome, weight) for (group, outcome), weight in cells.items()]


def test_appeal_case_counts_every_cell_of_the_table() -> None:
    result = appeal_case()

    assert result.groups == ("kazakh", "dungan")
    assert result.outcomes == ("in_custody", "released")
    assert set(result.table) == {
        ("kazakh", "in_custody", 0),
        ("kazakh", "released", 44),
        ("dungan", "in_custody", 3),
        ("dungan", "released", 0),
    }
    assert (result.n, result.excluded) == (47, 0)
    assert result.risk == {"dungan": 1.0, "kazakh": 0.0}
    assert (result.exposed, result.reference) == ("dungan", "kazakh")


def test_appeal_case_p_value_is_fishers_exact_two_sided() -> None:
    result = appeal_case()

    expected = fisher_exact([[3, 0], [0, 44]], alternative="two-sided").pvalue
    assert result.test_name == "Fisher's exact test"
    assert result.p_value == pytest.approx(float(expected))
    assert result.p_value == pytest.approx(1 / math.comb(47, 3))


def test_undefined_relative_risk_is_none_with_haldane_interval_and_caveat() -> None:
    result = appeal_case()

    assert result.relative_risk is None
    # Haldane–Anscombe: 0.5 added to each cell, then the Katz log interval.
    a, b, c, d = 3.5, 0.5, 0.5, 44.5
    log_rr = math.log((a / (a + b)) / (c / (c + d)))
    se = math.sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d))
    assert result.interval.low == pytest.approx(math.exp(log_rr - 1.959964 * se))
    assert result.interval.high == pytest.approx(math.exp(log_rr + 1.959964 * se))
    assert result.interval.level == 0.95
    assert any("cannot be computed" in c and "Haldane" in c for c in result.caveats)
    assert any("вычислить нельзя" in c for c in result.caveats_ru)


def test_appeal_case_summary_quotes_the_numbers_and_p_value() -> None:
    text = appeal_case().summary(labels=LABELS)

    assert text.startswith("Of 47 people detained on 8–9 February 2020, all 3 Dungans (100%)")
    assert "none of the 44 Kazakhs (0%)" in text
    assert "p = 0.00006" in text
    assert "two-sided" in text
    assert "if ethnicity made no difference" in text
    assert "cannot be computed because none of the Kazakhs was kept in custody" in text
    assert "Small numbers" in text


def test_russian_summary_is_cyrillic_with_the_numbers() -> None:
    text = appeal_case().summary("ru", labels=LABELS_RU)

    assert re.search("[а-яё]", text)
    assert "Из 47 задержанных 8–9 февраля 2020 года оставлены под стражей" in text
    assert "дунгане — 3 из 3 (100%)" in text
    assert "казахи — 0 из 44 (0%)" in text
    assert "p = 0,00006" in text
    assert "Точный критерий Фишера" in text


def test_summary_without_labels_uses_codes() -> None:
    text = appeal_case().summary()

    assert "all 3 dungan" in text
    assert '"in_custody"' in text


def test_balanced_cohort_shows_no_difference() -> None:
    result = disparity(
        cohort(
            {
                ("dungan", "in_custody"): 10,
                ("dungan", "released"): 10,
                ("kazakh", "in_custody"): 10,
                ("kazakh", "released"): 10,
            }
        ),
        positive="in_custody",
    )

    assert result.p_value == pytest.approx(1.0)
    assert result.relative_risk == pytest.approx(1.0)
    assert result.interval.low is not None and result.interval.low < 1
    assert result.interval.high is not None and result.interval.high > 1
    text = result.summary(labels=LABELS)
    assert "no difference" in text
    assert "p = 1 " in text
    assert "разницы нет" in result.summary("ru")


def test_katz_interval_without_zero_cells() -> None:
    result = disparity(
        cohort(
            {
                ("dungan", "in_custody"): 8,
                ("dungan", "released"): 4,
                ("kazakh", "in_custody"): 5,
                ("kazakh", "released"): 40,
            }
        ),
        positive="in_custody",
    )

    assert result.relative_risk == pytest.approx((8 / 12) / (5 / 45))
    se = math.sqrt(1 / 8 - 1 / 12 + 1 / 5 - 1 / 45)
    assert result.interval.low == pytest.approx((8 / 12) / (5 / 45) * math.exp(-1.959964 * se))
    assert result.interval.high == pytest.approx((8 / 12) / (5 / 45) * math.exp(1.959964 * se))
    assert not any("Haldane" in c for c in result.caveats)
    expected = fisher_exact([[8, 4], [5, 40]]).pvalue
    assert result.p_value == pytest.approx(float(expected))


def test_unknown_values_are_excluded_and_counted() -> None:
    result = disparity(
        [
            *cohort({("dungan", "in_custody"): 3, ("kazakh", "released"): 44}),
            Unit("unknown", "released", 2),
            Unit("", "in_custody"),
            Unit("kazakh", "unknown", 4),
        ],
        positive="in_custody",
        attribute="ethnicity",
    )

    assert (result.n, result.excluded) == (47, 7)
    assert result.groups[-1] == "unknown"
    assert result.outcomes[-1] == "unknown"
    assert ("unknown", "in_custody", 1) in result.table
    assert ("kazakh", "unknown", 4) in result.table
    assert "unknown" not in result.risk
    assert result.p_value == pytest.approx(float(fisher_exact([[3, 0], [0, 44]]).pvalue))
    assert (
        "3 people whose ethnicity is unknown and 4 people whose outcome is unknown were left out."
        in result.caveats
    )
    assert any("Не учтены: 3 человека" in c for c in result.caveats_ru)


def test_single_group_has_no_comparison() -> None:
    result = disparity(
        cohort({("kazakh", "in_custody"): 3, ("kazakh", "released"): 44}), positive="in_custody"
    )

    assert result.relative_risk is None
    assert result.p_value is None
    assert result.interval.low is None and result.interval.high is None
    assert result.risk == {"kazakh": pytest.approx(3 / 47)}
    assert any("only one group" in c.lower() for c in result.caveats)
    assert "nothing to compare" in result.summary()


def test_known_group_without_known_outcome_is_not_a_second_group() -> None:
    result = disparity(
        [Unit("kazakh", "released", 5), Unit("dungan", "unknown", 3)], positive="in_custody"
    )

    assert result.p_value is None
    assert result.risk["dungan"] is None
    assert result.excluded == 3


def test_empty_cohort_is_an_error() -> None:
    with pytest.raises(ValidationError, match="the cohort is empty"):
        disparity([], positive="in_custody")


def test_invalid_weight_is_an_error_naming_the_unit() -> None:
    with pytest.raises(ValidationError) as raised:
        disparity([Unit("kazakh", "released", -1, label="P-0001")], positive="in_custody")
    assert raised.value.where == "P-0001"


def test_explicit_exposed_and_reference_are_used() -> None:
    units = cohort(
        {
            ("dungan", "in_custody"): 3,
            ("kazakh", "in_custody"): 4,
            ("kazakh", "released"): 40,
        }
    )

    result = disparity(units, positive="in_custody", exposed="kazakh", reference="dungan")

    assert (result.exposed, result.reference) == ("kazakh", "dungan")
    assert result.relative_risk == pytest.approx((4 / 44) / 1.0)
    assert result.p_value == pytest.approx(float(fisher_exact([[4, 40], [3, 0]]).pvalue))


def test_explicit_group_must_be_in_the_cohort() -> None:
    units = cohort({("dungan", "in_custody"): 3, ("kazakh", "released"): 44})
    with pytest.raises(ValidationError):
        disparity(units, positive="in_custody", exposed="uyghur")
    with pytest.raises(ValidationError):
        disparity(units, positive="in_custody", exposed="kazakh", reference="kazakh")


def test_three_groups_compare_highest_risk_with_largest_other() -> None:
    result = disparity(
        cohort(
            {
                ("dungan", "in_custody"): 8,
                ("dungan", "released"): 4,
                ("kazakh", "in_custody"): 5,
                ("kazakh", "released"): 40,
                ("uyghur", "in_custody"): 2,
                ("uyghur", "released"): 3,
            }
        ),
        positive="in_custody",
    )

    assert result.groups == ("kazakh", "dungan", "uyghur")
    assert (result.exposed, result.reference) == ("dungan", "kazakh")
    assert result.n == 62
    assert result.risk["uyghur"] == pytest.approx(0.4)
    assert result.p_value == pytest.approx(float(fisher_exact([[8, 4], [5, 40]]).pvalue))
    left_out = [c for c in result.caveats if "leaves out" in c]
    assert left_out and "uyghur (5 people)" in left_out[0]
    assert "Uyghurs (5 people)" in result.summary(labels=LABELS)
    assert any("«uyghur» (5 человек)" in c for c in result.caveats_ru)


def test_small_numbers_are_flagged() -> None:
    assert any("Small numbers" in c for c in appeal_case().caveats)
    large = disparity(
        cohort(
            {
                ("dungan", "in_custody"): 20,
                ("dungan", "released"): 10,
                ("kazakh", "in_custody"): 5,
                ("kazakh", "released"): 40,
            }
        ),
        positive="in_custody",
    )
    assert not any("Small numbers" in c for c in large.caveats)


def test_other_outcomes_count_as_not_positive_but_stay_in_the_table() -> None:
    result = disparity(
        cohort(
            {
                ("dungan", "pretrial_detention"): 3,
                ("kazakh", "free"): 40,
                ("kazakh", "restricted"): 4,
            }
        ),
        positive="pretrial_detention",
    )

    assert result.outcomes == ("pretrial_detention", "free", "restricted")
    assert ("kazakh", "restricted", 4) in result.table
    assert result.p_value == pytest.approx(float(fisher_exact([[3, 0], [0, 44]]).pvalue))


def test_to_dict_is_json_ready_with_the_documented_keys() -> None:
    data = appeal_case().to_dict()
    decoded = json.loads(json.dumps(data, allow_nan=False))

    assert {
        "table",
        "groups",
        "outcomes",
        "positive",
        "exposed",
        "reference",
        "risk",
        "relative_risk",
        "test",
        "n",
        "excluded",
        "caveats",
        "summary",
    } <= set(decoded)
    assert {"group": "dungan", "outcome": "in_custody", "count": 3} in decoded["table"]
    assert set(decoded["relative_risk"]) == {"value", "low", "high", "level"}
    assert decoded["relative_risk"]["value"] is None
    assert decoded["test"]["name"] == "Fisher's exact test"
    assert decoded["test"]["alternative"] == "two-sided"
    assert decoded["summary"].startswith("Of 47 people")


@pytest.mark.parametrize(
    ("p", "en", "ru"),
    [
        (6.167e-05, "p = 0.00006", "p = 0,00006"),
        (0.034965, "p = 0.035", "p = 0,035"),
        (0.5, "p = 0.50", "p = 0,50"),
        (1.0, "p = 1", "p = 1"),
        (1e-12, "p < 0.000001", "p < 0,000001"),
    ],
)
def test_p_values_are_formatted_for_reading(p: float, en: str, ru: str) -> None:
    assert format_p(p) == en
    assert format_p(p, "ru") == ru
