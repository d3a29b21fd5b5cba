"""bench/compare.py: which figures count as a difference between two builds, and which are noise."""

import json

from bench import compare


def make_page(*, queries=3, work=120, html=5000, gzip=1500, rps=(900.0, 1100.0), **extra):
    return {
        "path": "/",
        "status": 200,
        "queries": queries,
        "sql_ms": 0.5,
        "db_work": {"unit": "postgresql buffers", "amount": work},
        "html_bytes": html,
        "gzip_bytes": gzip,
        "load": {"c1": {"rps": rps[0]}, "c8": {"rps": rps[1]}},
        **extra,
    }


def make_run(**pages):
    return {
        "database": "postgresql",
        "stories": 1000,
        "duration_s": 5,
        "machine": {"load_average_at_end": [1.0, 1.0, 1.0]},
        "pages": {"bare": make_page(queries=0, work=0), **pages},
    }


def test_runs_that_differ_only_in_load_dependent_figures_have_no_differences():
    before = make_run(home=make_page(rps=(900.0, 1000.0)))
    after = make_run(home=make_page(rps=(450.0, 2000.0), sql_ms=9.0))

    assert compare.differences([before], [after]) == []


def test_each_load_independent_figure_is_flagged_with_both_values():
    before = make_run(home=make_page())
    after = make_run(home=make_page(queries=4, work=130, html=5001, gzip=1501))

    found = {(name, key): (a, b) for name, key, a, b, _ in compare.differences([before], [after])}

    assert found == {
        ("home", "queries"): (3, 4),
        ("home", "db_work"): ("120 postgresql buffers", "130 postgresql buffers"),
        ("home", "html_bytes"): (5000, 5001),
        ("home", "gzip_bytes"): (1500, 1501),
    }


def test_a_difference_between_two_runs_of_the_same_build_is_flagged_too():
    runs = [make_run(home=make_page()), make_run(home=make_page())]
    second_before = make_run(home=make_page(work=121))

    found = compare.differences([runs[0], second_before], [runs[1]])

    assert [(name, key, where) for name, key, _, _, where in found] == [
        ("home", "db_work", "before 2")
    ]


def test_a_page_measured_by_one_build_only_is_a_difference():
    before = make_run(home=make_page())
    after = make_run(home=make_page(), feed=make_page())

    found = compare.differences([before], [after])

    assert [(name, key, a, b) for name, key, a, b, _ in found] == [
        ("feed", "page", "missing", "measured")
    ]


def test_req_per_second_is_the_median_of_each_build_with_its_spread_and_ratio():
    before = [make_run(home=make_page(rps=(r, 0.0))) for r in (800.0, 1000.0, 900.0)]
    after = [make_run(home=make_page(rps=(r, 0.0))) for r in (990.0, 810.0, 1080.0)]

    summary = compare.rps_summary(before, after, "home", "c1")

    assert summary == {
        "before": 900.0,
        "after": 990.0,
        "before_range": (800.0, 1000.0),
        "after_range": (810.0, 1080.0),
        "ratio": 1.1,
    }


def test_exit_status_says_whether_the_builds_match(tmp_path, capsys):
    files = {
        "before": make_run(home=make_page()),
        "same": make_run(home=make_page(rps=(1.0, 1.0))),
        "heavier": make_run(home=make_page(queries=5)),
        "other_database": {**make_run(home=make_page()), "stories": 100000},
    }
    for name, run in files.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(run))
    path = {name: str(tmp_path / f"{name}.json") for name in files}

    assert compare.main([path["before"], path["same"]]) == 0
    assert compare.main([path["before"], path["heavier"]]) == 1
    assert "**3 → 5**" in capsys.readouterr().out
    assert compare.main([path["before"], path["other_database"]]) == 2
