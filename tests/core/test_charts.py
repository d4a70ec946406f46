"""Charts: data in, deterministic SVG or PNG bytes out (no database)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import matplotlib
import pytest

from docket.core.charts import (
    FORMATS,
    KINDS,
    MANY_POINTS,
    Chart,
    Series,
    by_category,
    custody_over_time,
    per_period,
    render,
)
from docket.core.errors import ValidationError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def dates(n: int) -> list[str]:
    return [f"2020-{1 + i // 28:02d}-{1 + i % 28:02d}" for i in range(n)]


def custody(n: int, **kwargs: Any) -> Chart:
    counts = {"chechen": [i % 4 + 1 for i in range(n)], "ingush": [1] * n}
    return custody_over_time(dates(n), counts, **kwargs)


BASE = Chart(
    title="Detentions per week",
    x_labels=("W1", "W2", "W3"),
    series=(Series("events", (1.0, 0.0, 4.0)),),
    kind="bar",
)


def simple(kind: str = "bar", **kwargs: Any) -> Chart:
    return replace(BASE, kind=kind, **kwargs)


def svg_text(chart: Chart) -> str:
    data = render(chart, "svg")
    assert data.startswith(b"<?xml")
    return data.decode("utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_svg_with_title_and_labels_as_text(kind: str) -> None:
    chart = simple(kind, x_title="week", y_title="events", note="Source: Docket, as of 2024-05-01")
    text = svg_text(chart)
    for words in (
        "Detentions per week",
        "W2",
        "week",
        "events",
        "Source: Docket, as of 2024-05-01",
    ):
        assert words in text


def test_a_long_title_is_wrapped_and_kept_whole_in_the_metadata() -> None:
    title = "Detentions per week in the Chechen Republic and Ingushetia, January to June 2020"
    text = svg_text(simple(title=title))
    assert f"<dc:title>{title}</dc:title>" in text


def test_svg_carries_no_date_or_software_version() -> None:
    text = svg_text(custody(20))
    assert "<dc:date>" not in text
    assert matplotlib.__version__ not in text


def test_russian_title_labels_and_axis_word_are_in_the_svg() -> None:
    chart = custody(5, lang="ru", labels={"chechen": "чеченцы", "ingush": "ингуши"})
    text = svg_text(chart)
    assert "Лица под стражей, по этнической принадлежности" in text
    assert "чеченцы" in text and "ингуши" in text
    assert "человек" in text


def test_caller_text_is_literal_not_markup_or_math() -> None:
    text = svg_text(simple(title="Fines of $5 & $10 <b>"))
    assert "Fines of $5 &amp; $10 &lt;b&gt;" in text


def test_png_has_the_png_signature_and_no_software_stamp() -> None:
    data = render(simple(), "png")
    assert data.startswith(PNG_SIGNATURE)
    assert b"matplotlib" not in data.lower()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("n", [3, 40])
def test_same_input_gives_identical_bytes(fmt: str, n: int) -> None:
    assert render(custody(n), fmt) == render(custody(n), fmt)
    assert render(custody(n, note="as of 2024-05-01"), fmt) != render(custody(n), fmt)


def test_renders_in_threads_are_identical() -> None:
    chart = custody(30, lang="ru")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda fmt: render(chart, fmt), ["svg", "png"] * 4))
    assert len(set(results)) == 2


def test_render_leaves_global_settings_alone() -> None:
    before = dict(matplotlib.rcParams)
    render(simple(), "svg")
    assert dict(matplotlib.rcParams) == before


def test_custody_over_time_picks_bars_for_few_points_and_area_for_many() -> None:
    assert custody(1).kind == "stacked_bar"
    assert custody(MANY_POINTS).kind == "stacked_bar"
    assert custody(MANY_POINTS + 1).kind == "stacked_area"


def test_custody_over_time_series_titles_and_labels() -> None:
    chart = custody(3, labels={"chechen": "Chechen"})
    assert chart.title == "People in custody, by ethnicity"
    assert chart.y_title == "people"
    assert [s.label for s in chart.series] == ["Chechen", "ingush"]
    assert chart.series[1].values == (1, 1, 1)
    assert custody(3, title="Custody in Grozny").title == "Custody in Grozny"


def test_per_period_is_a_bar_chart_of_events() -> None:
    chart = per_period(["W1", "W2"], [2, 5], title="Detentions per week", lang="ru")
    assert chart.kind == "bar"
    assert chart.x_labels == ("W1", "W2")
    assert chart.y_title == "событий"
    assert chart.series[0].values == (2, 5)


def test_by_category_sorts_largest_first_ties_by_code() -> None:
    chart = by_category(
        {"search": 5, "detention": 12, "arrest": 12, "interrogation": 1},
        title="Events by type",
        labels={"arrest": "Arrest"},
    )
    assert chart.kind == "barh"
    assert chart.x_labels == ("Arrest", "detention", "search", "interrogation")
    assert chart.series[0].values == (12, 12, 5, 1)
    assert "Arrest" in svg_text(chart)


def test_a_single_point_and_zero_values_render() -> None:
    for kind in KINDS:
        chart = simple(kind, x_labels=("2020-02-09",), series=(Series("x", (0.0,)),))
        assert render(chart, "png").startswith(PNG_SIGNATURE)


def test_many_series_and_many_points_render() -> None:
    series = tuple(Series(f"group {i}", tuple(float(i) for _ in range(200))) for i in range(10))
    for kind in ("stacked_area", "stacked_bar", "bar"):
        chart = Chart("Many", tuple(dates(200)), series, kind)
        text = svg_text(chart)
        assert "group 0" in text and "group 9" in text


def test_unknown_format_is_named() -> None:
    with pytest.raises(ValidationError, match='unknown chart format "pdf"'):
        render(simple(), "pdf")


def test_unknown_kind_is_named() -> None:
    with pytest.raises(ValidationError, match='unknown chart kind "pie"'):
        render(simple("pie"))


def test_length_mismatch_names_the_series_and_both_lengths() -> None:
    chart = simple(series=(Series("events", (1.0, 2.0)),))
    with pytest.raises(ValidationError, match='series "events" has 2 values but there are 3'):
        render(chart)
    with pytest.raises(ValidationError, match='series "ingush" has 1 values but there are 2'):
        custody_over_time(["2020-01-01", "2020-02-01"], {"chechen": [1, 2], "ingush": [1]})
    with pytest.raises(ValidationError, match="has 1 values but there are 2"):
        per_period(["W1", "W2"], [1], title="t")


def test_negative_count_names_the_series_and_point() -> None:
    chart = simple(series=(Series("events", (1.0, -2.0, 4.0)),))
    with pytest.raises(ValidationError, match='series "events" has a negative value at "W2"'):
        render(chart)
    with pytest.raises(ValidationError, match='negative value at "search"'):
        by_category({"search": -1}, title="t")


def test_nan_and_infinity_are_errors() -> None:
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValidationError, match='no finite value at "W1"'):
            render(simple(series=(Series("events", (bad, 1.0, 1.0)),)))


def test_empty_series_list_is_an_error() -> None:
    with pytest.raises(ValidationError, match="at least one series"):
        render(simple(series=()))
    with pytest.raises(ValidationError, match="at least one series"):
        custody_over_time(["2020-01-01"], {})


def test_no_x_points_is_an_error() -> None:
    with pytest.raises(ValidationError, match="at least one x point"):
        render(simple(x_labels=(), series=(Series("events", ()),)))
    with pytest.raises(ValidationError, match="at least one x point"):
        by_category({}, title="t")


def test_error_names_the_chart() -> None:
    with pytest.raises(ValidationError) as caught:
        render(simple(series=()))
    assert caught.value.where == 'chart "Detentions per week"'
